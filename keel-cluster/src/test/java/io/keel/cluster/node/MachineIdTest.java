package io.keel.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineIdTest {

    @Test
    void anIdIsGeneratedOnceAndKept(@TempDir Path dir) throws Exception {
        String id = MachineId.loadOrCreate(dir.resolve("node"));
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(MachineId.loadOrCreate(dir.resolve("node"))).isEqualTo(id);
        assertThat(Files.readString(dir.resolve("node").resolve("machine-id")).trim()).isEqualTo(id);
    }

    @Test
    void aCorruptIdFileIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("machine-id"), "no/slashes\n");
        assertThatThrownBy(() -> MachineId.loadOrCreate(dir)).hasMessageContaining("machine-id");
    }

    @Test
    void givenIdsAreValidated() {
        assertThat(MachineId.validate("node-1.rack_a")).isEqualTo("node-1.rack_a");
        assertThatThrownBy(() -> MachineId.validate("a/b")).hasMessageContaining("invalid");
        assertThatThrownBy(() -> MachineId.validate("")).hasMessageContaining("invalid");
    }
}
