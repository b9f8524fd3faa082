package io.keel.agent.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RootfsPolicyTest {

    private static final String UNIT = "web.service";

    @Test
    void containersAreImmutableByDefault() {
        assertThat(RootfsPolicy.decide(UNIT, Optional.empty(), Map.of()))
                .isEqualTo(new RootfsPolicy.Decision(true, "containers are immutable by default"));
    }

    @Test
    void theUnitFileDeclaresWhatMayChange() {
        assertThat(RootfsPolicy.decide(UNIT, Optional.of(false), Map.of()).readOnly()).isFalse();
        assertThat(RootfsPolicy.decide(UNIT, Optional.of(true), Map.of()).reason()).isEqualTo("ReadOnly=true in the unit");
    }

    @Test
    void theClusterWidePolicyOverridesTheUnitFile() {
        RootfsPolicy.Decision d = RootfsPolicy.decide(UNIT, Optional.of(false), Map.of(RootfsPolicy.CLUSTER_KEY, "immutable"));
        assertThat(d).isEqualTo(new RootfsPolicy.Decision(true, "/keel/policy/rootfs = immutable"));
    }

    @Test
    void thePerUnitPolicyOverridesEverything() {
        RootfsPolicy.Decision d = RootfsPolicy.decide(UNIT, Optional.of(true), Map.of(
                RootfsPolicy.CLUSTER_KEY, "immutable", "/keel/policy/rootfs/web.service", "mutable",
                "/keel/policy/rootfs/other.service", "immutable"));
        assertThat(d).isEqualTo(new RootfsPolicy.Decision(false, "/keel/policy/rootfs/web.service = mutable"));
        assertThat(d.describe()).isEqualTo("writable (/keel/policy/rootfs/web.service = mutable)");
    }

    @Test
    void aGarbageValueIsIgnoredAndSaidSo() {
        RootfsPolicy.Decision d = RootfsPolicy.decide(UNIT, Optional.empty(),
                Map.of("/keel/policy/rootfs/web.service", "yes please"));
        assertThat(d.readOnly()).isTrue();
        assertThat(d.reason()).contains("immutable by default", "ignoring /keel/policy/rootfs/web.service='yes please'",
                "immutable or mutable");
    }
}
