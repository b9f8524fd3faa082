package io.keel.lifecycle.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void comparesNumericallyWithPreReleasesFirst() {
        List<String> sorted = Stream.of("1.10.0", "1.9.9", "1.10.0-beta.2", "1.10.0-beta.10", "1.10.0-alpha", "2",
                        "1.10", "0.9")
                .map(Version::parse).sorted().map(Version::text).toList();
        assertThat(sorted).containsExactly("0.9", "1.9.9", "1.10.0-alpha", "1.10.0-beta.2", "1.10.0-beta.10", "1.10.0", "1.10",
                "2");
        assertThat(Version.parse("1.10").compareTo(Version.parse("1.10.0"))).isZero();
        assertThat(Version.parse("1.10.1").isNewerThan(Version.parse("1.9.20"))).isTrue();
    }

    @Test
    void refusesWhatIsNotAVersion() {
        for (String bad : new String[] {"", "v1.2", "1..2", "1.2.", "1.x", "-beta"}) {
            assertThatThrownBy(() -> Version.parse(bad)).isInstanceOf(UpdateException.class)
                    .hasMessageContaining("\"" + bad + "\" is not a version");
        }
    }
}
