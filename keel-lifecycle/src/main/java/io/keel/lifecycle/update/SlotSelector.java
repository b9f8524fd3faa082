package io.keel.lifecycle.update;

import java.time.Instant;

/**
 * CoreOS's (ChromeOS's) GPT boot selection, pure: boot the bootable slot with the highest
 * priority (A on a tie); a boot of a slot not yet successful uses one of its tries. When the
 * higher-priority slot has no tries left and never succeeded, the other slot boots: a rollback,
 * recorded in the table, and the failed slot's priority drops to 0 so it is reported once.
 */
public final class SlotSelector {

    /** The slot to boot and the table to persist before booting it. */
    public record Selection(SlotName slot, SlotTable table, boolean rolledBack) {}

    private SlotSelector() {}

    /** Throws {@link NoBootableSlotException} naming both slots' flags if neither may boot. */
    public static Selection select(SlotTable table, Instant now) {
        SlotState a = table.a();
        SlotState b = table.b();
        SlotName chosen;
        if (a.bootable() && (!b.bootable() || a.priority() >= b.priority())) {
            chosen = SlotName.A;
        } else if (b.bootable()) {
            chosen = SlotName.B;
        } else {
            throw new NoBootableSlotException("no bootable slot: " + a.describe(SlotName.A) + "; "
                    + b.describe(SlotName.B));
        }
        SlotName other = chosen.other();
        SlotState mine = table.get(chosen);
        SlotState theirs = table.get(other);
        SlotTable next = table.withActive(chosen);
        boolean rolledBack = false;
        if (theirs.priority() > mine.priority() && !theirs.bootable()) {
            next = next.with(other, theirs.withPriority(0))
                    .withRollback(new Rollback(other, theirs.version(), chosen, mine.version(), now));
            rolledBack = true;
        }
        if (!mine.successful()) {
            next = next.with(chosen, mine.withTries(mine.tries() - 1));
        }
        return new Selection(chosen, next, rolledBack);
    }
}
