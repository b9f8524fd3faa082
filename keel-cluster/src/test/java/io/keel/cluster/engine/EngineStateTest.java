package io.keel.cluster.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineStateTest {

    @Test
    void onlyACandidateBecomesLeaderAndNothingLeavesClosed() {
        assertThat(EngineState.LATENT.canMoveTo(EngineState.LEADER)).isFalse();
        assertThat(EngineState.CANDIDATE.canMoveTo(EngineState.LEADER)).isTrue();
        assertThat(EngineState.SUSPENDED.canMoveTo(EngineState.LEADER)).isFalse();
        assertThat(EngineState.LEADER.canMoveTo(EngineState.SUSPENDED)).isTrue();
        assertThat(EngineState.LEADER.canMoveTo(EngineState.CANDIDATE)).isTrue();
        for (EngineState s : EngineState.values()) {
            assertThat(EngineState.CLOSED.canMoveTo(s)).isFalse();
            assertThat(s == EngineState.CLOSED || s.canMoveTo(EngineState.CLOSED)).isTrue();
        }
    }

    @Test
    void configRejectsNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineConfig.DEFAULT.withLeaseTtl(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EngineConfig(EngineConfig.LEASE_TTL_DEFAULT,
                EngineConfig.RECONCILE_INTERVAL_DEFAULT, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
