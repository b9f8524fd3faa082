package io.keel.lifecycle.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** CoreOS's GPT selection, as a table: flags before, slot booted, flags after. */
class SlotSelectorTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private static SlotState s(String version, int priority, int tries, boolean successful) {
        return new SlotState(version, priority, tries, successful);
    }

    private static SlotSelector.Selection select(SlotState a, SlotState b, SlotName active) {
        return SlotSelector.select(new SlotTable(a, b, active, null), NOW);
    }

    @Test
    void freshInstallBootsA() {
        SlotSelector.Selection sel = SlotSelector.select(SlotTable.fresh(), NOW);
        assertThat(sel.slot()).isEqualTo(SlotName.A);
        assertThat(sel.rolledBack()).isFalse();
        assertThat(sel.table()).isEqualTo(SlotTable.fresh());
    }

    @Test
    void updatedSlotBootsAndUsesATry() {
        SlotSelector.Selection sel = select(s("1.0", 1, 0, true), s("1.1", 2, 3, false), SlotName.A);
        assertThat(sel.slot()).isEqualTo(SlotName.B);
        assertThat(sel.table().b()).isEqualTo(s("1.1", 2, 2, false));
        assertThat(sel.table().a()).isEqualTo(s("1.0", 1, 0, true));
        assertThat(sel.table().active()).isEqualTo(SlotName.B);
        assertThat(sel.rolledBack()).isFalse();
    }

    @Test
    void successfulSlotKeepsBootingWithoutUsingTries() {
        SlotSelector.Selection sel = select(s("1.0", 1, 0, true), s("1.1", 2, 0, true), SlotName.B);
        assertThat(sel.slot()).isEqualTo(SlotName.B);
        assertThat(sel.table().b()).isEqualTo(s("1.1", 2, 0, true));
    }

    @Test
    void failedBootsUseUpTriesThenRollBack() {
        SlotTable t = new SlotTable(s("1.0", 1, 0, true), s("1.1", 2, 3, false), SlotName.A, null);
        for (int tries = 2; tries >= 0; tries--) {
            SlotSelector.Selection sel = SlotSelector.select(t, NOW);
            assertThat(sel.slot()).isEqualTo(SlotName.B);
            assertThat(sel.table().b().tries()).isEqualTo(tries);
            t = sel.table();
        }
        SlotSelector.Selection sel = SlotSelector.select(t, NOW);
        assertThat(sel.slot()).isEqualTo(SlotName.A);
        assertThat(sel.rolledBack()).isTrue();
        assertThat(sel.table().b()).isEqualTo(s("1.1", 0, 0, false));
        assertThat(sel.table().rollback()).isEqualTo(new Rollback(SlotName.B, "1.1", SlotName.A, "1.0", NOW));
        assertThat(sel.table().rollback().describe())
                .startsWith("rolled back from slot B (1.1) to slot A (1.0) at 2026-01-02T03:04:05Z");

        SlotSelector.Selection again = SlotSelector.select(sel.table(), NOW.plusSeconds(60));
        assertThat(again.slot()).isEqualTo(SlotName.A);
        assertThat(again.rolledBack()).isFalse();
        assertThat(again.table().rollback().at()).isEqualTo(NOW);
    }

    @Test
    void bothSlotsBadIsAnErrorNamingBoth() {
        assertThatThrownBy(() -> select(s("1.0", 0, 0, false), s("1.1", 2, 0, false), SlotName.B))
                .isInstanceOf(NoBootableSlotException.class)
                .hasMessage("no bootable slot: A (1.0) priority 0 tries 0 not successful;"
                        + " B (1.1) priority 2 tries 0 not successful");
        assertThatThrownBy(() -> select(SlotState.empty(), SlotState.empty(), SlotName.A))
                .isInstanceOf(NoBootableSlotException.class);
    }

    @Test
    void tieGoesToA() {
        assertThat(select(s("1.0", 2, 0, true), s("1.1", 2, 0, true), SlotName.B).slot()).isEqualTo(SlotName.A);
    }

    @Test
    void lowerPrioritySlotWithoutTriesIsNoRollback() {
        SlotSelector.Selection sel = select(s("1.0", 2, 0, true), s("0.9", 1, 0, false), SlotName.A);
        assertThat(sel.slot()).isEqualTo(SlotName.A);
        assertThat(sel.rolledBack()).isFalse();
    }

    @Test
    void flagsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> s("1", 16, 0, true)).hasMessage("slot priority 16 is outside 0-15");
        assertThatThrownBy(() -> s("1", 1, -1, true)).hasMessage("slot tries -1 is outside 0-15");
    }
}
