package io.keel.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.cluster.registry.MachineRecord;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineSpecTest {

    @Test
    void metadataIsKeyValuePairs() {
        assertThat(MachineSpec.parseMetadata("region=us-east, rack=r1")).containsExactly(
                Map.entry("region", "us-east"), Map.entry("rack", "r1"));
        assertThat(MachineSpec.parseMetadata(null)).isEmpty();
        assertThatThrownBy(() -> MachineSpec.parseMetadata("rack")).hasMessageContaining("'rack' is not key=value");
        assertThatThrownBy(() -> MachineSpec.parseMetadata("a=1,a=2")).hasMessageContaining("twice");
        assertThatThrownBy(() -> MachineSpec.parseMetadata("a b=1")).hasMessageContaining("'a b'");
    }

    @Test
    void capacityIsCoresAndBytes() {
        assertThat(MachineSpec.parseCapacity("cpu=2,memory=4G")).isEqualTo(new MachineRecord.Capacity(2000, 4L << 30));
        assertThat(MachineSpec.parseCapacity("cpu=500m,memory=512Mi")).isEqualTo(new MachineRecord.Capacity(500, 512L << 20));
        assertThat(MachineSpec.parseCapacity("cpu=1.5")).isEqualTo(new MachineRecord.Capacity(1500, 0));
        assertThat(MachineSpec.parseCapacity("")).isEqualTo(MachineRecord.Capacity.UNLIMITED);
        assertThatThrownBy(() -> MachineSpec.parseCapacity("gpu=1")).hasMessageContaining("'gpu' is unknown");
        assertThatThrownBy(() -> MachineSpec.parseCapacity("memory=4Q")).hasMessageContaining("unknown unit");
        assertThatThrownBy(() -> MachineSpec.parseCapacity("cpu=lots")).hasMessageContaining("not a number");
    }

    @Test
    void thePublicIpIsAnIpv4Address() {
        assertThat(MachineSpec.detectPublicIp()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    }
}
