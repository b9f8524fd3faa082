package io.keel.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FleetClientTest {

    @Test
    void endpointsAreHttpUrlsOrHostPort() {
        assertThat(FleetClient.parse("127.0.0.1:7070").toString()).isEqualTo("http://127.0.0.1:7070");
        assertThat(FleetClient.parse("http://127.0.0.1:7070/").toString()).isEqualTo("http://127.0.0.1:7070");
        assertThatThrownBy(() -> FleetClient.parse("https://127.0.0.1:7070")).hasMessageContaining("not an http://");
        assertThatThrownBy(() -> FleetClient.parse("http://")).isInstanceOf(IllegalArgumentException.class);
    }
}
