package io.keel.cluster.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecifiersTest {

    private static final UnitName WEB_2 = UnitName.parse("web@2.service");

    @Test
    void expandsFleetsSpecifiersAndKeepsOthersAsWritten() {
        assertThat(Specifiers.expand("%n %N %p %i %% %m %H %", WEB_2))
                .isEqualTo("web@2.service web@2 web 2 % %m %H %");
    }

    @Test
    void theMachinesOwnSpecifiersComeFromTheAgent() {
        assertThat(Specifiers.expand("/srv/%m/%p-%i.conf %H", WEB_2, Map.of('m', "machine-a")))
                .isEqualTo("/srv/machine-a/web-2.conf %H");
    }
}
