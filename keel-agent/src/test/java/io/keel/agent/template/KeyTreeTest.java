package io.keel.agent.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyTreeTest {

    @Test
    void nestsKeysBySegmentAndListsThem() {
        Map<String, Object> context = KeyTree.of(Map.of(
                "/apps/web/port", "8080",
                "/apps/web/upstreams/b", "10.0.0.2:80",
                "/apps/web/upstreams/a", "10.0.0.1:80",
                "/apps/web", "itself")).context();
        @SuppressWarnings("unchecked")
        Map<String, Object> web = (Map<String, Object>) ((Map<String, Object>) context.get("apps")).get("web");
        assertThat(web.get("port")).isEqualTo("8080");
        assertThat(web.get(KeyTree.VALUE)).isEqualTo("itself");
        assertThat(context.get(KeyTree.KEYS)).isEqualTo(List.of(
                Map.of("key", "/apps/web", "name", "web", "value", "itself"),
                Map.of("key", "/apps/web/port", "name", "port", "value", "8080"),
                Map.of("key", "/apps/web/upstreams/a", "name", "a", "value", "10.0.0.1:80"),
                Map.of("key", "/apps/web/upstreams/b", "name", "b", "value", "10.0.0.2:80")));
        @SuppressWarnings("unchecked")
        Map<String, Object> upstreams = (Map<String, Object>) web.get("upstreams");
        assertThat(upstreams.get(KeyTree.CHILDREN)).isEqualTo(List.of(
                Map.of("name", "a", "key", "/apps/web/upstreams/a", "value", "10.0.0.1:80"),
                Map.of("name", "b", "key", "/apps/web/upstreams/b", "value", "10.0.0.2:80")));
    }

    @Test
    void emptyTreeHasAnEmptyList() {
        assertThat(KeyTree.of(Map.of()).context()).containsEntry(KeyTree.KEYS, List.of());
    }
}
