package io.keel.agent.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreEnvironmentTest {

    @Test
    void directChildrenBecomeVariablesLaterPrefixWinningAndOthersAreSkippedWithAReason() {
        Map<String, Map<String, String>> keys = new LinkedHashMap<>();
        keys.put("/apps/all/env/", Map.of("/apps/all/env/PORT", "80", "/apps/all/env/REGION", "eu"));
        Map<String, String> web = new LinkedHashMap<>();
        web.put("/apps/web/env/PORT", "8080");
        web.put("/apps/web/env/db/HOST", "db1");
        web.put("/apps/web/env/bad-name", "x");
        keys.put("/apps/web/env/", web);

        StoreEnvironment.Result result = StoreEnvironment.ofStrings(List.of("/apps/all/env/", "/apps/web/env/"), keys);

        assertThat(result.environment()).containsExactlyInAnyOrderEntriesOf(Map.of("PORT", "8080", "REGION", "eu"));
        assertThat(result.skipped()).containsExactly(
                "/apps/web/env/db/HOST: not directly under /apps/web/env/",
                "/apps/web/env/bad-name: 'bad-name' is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
    }
}
