package io.keel.cluster.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

    @ParameterizedTest
    @CsvSource({"500m, 500", "1.5, 1500", "2, 2000", "0.25, 250", "0, 0", "1m, 1", " 3 , 3000"})
    void parsesCpu(String text, long millis) {
        assertThat(Quantities.parseCpuMillis(text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "-1", "1.5m", "0.0005", "abc", "2 cores"})
    void rejectsBadCpu(String text) {
        assertThatThrownBy(() -> Quantities.parseCpuMillis(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid CPU quantity");
    }

    @ParameterizedTest
    @CsvSource({"1024, 1024", "512M, 536870912", "512Mi, 536870912", "512MB, 536870912", "2G, 2147483648",
        "1.5G, 1610612736", "1k, 1024", "1T, 1099511627776", "0, 0"})
    void parsesMemory(String text, long bytes) {
        assertThat(Quantities.parseBytes(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "G", "-1G", "12X", "lots", "99999999999E"})
    void rejectsBadMemory(String text) {
        assertThatThrownBy(() -> Quantities.parseBytes(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid memory quantity");
    }

    @ParameterizedTest
    @CsvSource({"2000, 2", "500, 500m", "1500, 1500m"})
    void formatsCpu(long millis, String text) {
        assertThat(Quantities.formatCpu(millis)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"536870912, 512M", "2147483648, 2G", "1000, 1000", "0, 0", "3072, 3K", "1536, 1536"})
    void formatsBytes(long bytes, String text) {
        assertThat(Quantities.formatBytes(bytes)).isEqualTo(text);
    }
}
