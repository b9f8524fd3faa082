package io.keel.cluster.unit;

import static io.keel.cluster.unit.JobState.INACTIVE;
import static io.keel.cluster.unit.JobState.LAUNCHED;
import static io.keel.cluster.unit.JobState.LOADED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobStateTest {

    @Test
    void wireNamesAreFleets() {
        assertThat(INACTIVE.wireName()).isEqualTo("inactive");
        assertThat(LOADED.wireName()).isEqualTo("loaded");
        assertThat(LAUNCHED.wireName()).isEqualTo("launched");
        for (JobState state : JobState.values()) {
            assertThat(JobState.parse(state.wireName())).isEqualTo(state);
        }
    }

    @Test
    void rejectsUnknownNames() {
        assertThatThrownBy(() -> JobState.parse("running"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"running\"")
                .hasMessageContaining("inactive, loaded or launched");
        assertThatThrownBy(() -> JobState.parse("LAUNCHED")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pathGoesThroughAdjacentStatesOnly() {
        assertThat(JobState.path(INACTIVE, LAUNCHED)).containsExactly(LOADED, LAUNCHED);
        assertThat(JobState.path(LAUNCHED, INACTIVE)).containsExactly(LOADED, INACTIVE);
        assertThat(JobState.path(INACTIVE, LOADED)).containsExactly(LOADED);
        assertThat(JobState.path(LOADED, LAUNCHED)).containsExactly(LAUNCHED);
        assertThat(JobState.path(LAUNCHED, LOADED)).containsExactly(LOADED);
        assertThat(JobState.path(LOADED, INACTIVE)).containsExactly(INACTIVE);
    }

    @Test
    void pathToItselfIsEmpty() {
        for (JobState state : JobState.values()) {
            assertThat(JobState.path(state, state)).isEmpty();
        }
    }
}
