package io.keel.cluster.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void everyKeyOfTheLayoutIsRecognized() {
        assertThat(Keys.parse("/keel/machines/abc")).contains(new Keys.MachineRef("abc"));
        assertThat(Keys.parse("/keel/units/web@1.service")).contains(new Keys.UnitRef("web@1.service"));
        assertThat(Keys.parse("/keel/schedule/a.service")).contains(new Keys.ScheduleRef("a.service"));
        assertThat(Keys.parse("/keel/state/a.service/m1")).contains(new Keys.StateRef("a.service", "m1"));
        assertThat(Keys.parse("/keel/engine/leader")).contains(new Keys.LeaderRef());
        assertThat(Keys.parse("/keel/engine/unschedulable/a.service")).contains(new Keys.UnschedulableRef("a.service"));
    }

    @Test
    void keysOutsideTheLayoutAreNot() {
        assertThat(Keys.parse("/keel/version")).isEmpty();
        assertThat(Keys.parse("/keel/machines/")).isEmpty();
        assertThat(Keys.parse("/keel/units/a/b")).isEmpty();
        assertThat(Keys.parse("/keel/state/a.service")).isEmpty();
        assertThat(Keys.parse("/keel/state/a.service/")).isEmpty();
        assertThat(Keys.parse("/other/thing")).isEmpty();
    }

    @Test
    void keysAreBuiltAsTheLayoutSays() {
        assertThat(Keys.machine("m1")).isEqualTo("/keel/machines/m1");
        assertThat(Keys.state("a.service", "m1")).isEqualTo("/keel/state/a.service/m1");
        assertThat(Keys.statesOf("a.service")).isEqualTo("/keel/state/a.service/");
        assertThat(Keys.unschedulable("a.service")).isEqualTo("/keel/engine/unschedulable/a.service");
    }

    @Test
    void theRangeEndOfAPrefixIsItsLastByteIncremented() {
        assertThat(Keys.string(Keys.rangeEnd("/keel/"))).isEqualTo("/keel0");
        assertThat(Keys.string(Keys.rangeEnd("/keel/state/a.service/"))).isEqualTo("/keel/state/a.service0");
    }
}
