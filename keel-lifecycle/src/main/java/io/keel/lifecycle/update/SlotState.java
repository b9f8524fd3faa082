package io.keel.lifecycle.update;

/**
 * A slot's boot flags, as CoreOS keeps them in GPT partition attributes.
 *
 * @param version the installed release, or null for the base installation (or an empty slot)
 * @param priority 0-15; 0 never boots, otherwise the highest bootable priority boots
 * @param tries 0-15; boot attempts left for a slot not yet successful
 * @param successful the slot has booted and become healthy at least once
 */
public record SlotState(String version, int priority, int tries, boolean successful) {

    public static final int MAX = 15;

    public SlotState {
        if (priority < 0 || priority > MAX) {
            throw new UpdateException("slot priority " + priority + " is outside 0-15");
        }
        if (tries < 0 || tries > MAX) {
            throw new UpdateException("slot tries " + tries + " is outside 0-15");
        }
    }

    public static SlotState empty() {
        return new SlotState(null, 0, 0, false);
    }

    /** May this slot boot: priority above 0 and either successful or with tries left. */
    public boolean bootable() {
        return priority > 0 && (successful || tries > 0);
    }

    public SlotState withPriority(int p) {
        return new SlotState(version, p, tries, successful);
    }

    public SlotState withTries(int t) {
        return new SlotState(version, priority, t, successful);
    }

    public SlotState markedSuccessful() {
        return new SlotState(version, priority, 0, true);
    }

    String describe(SlotName name) {
        return name + " (" + (version == null ? "base" : version) + ") priority " + priority + " tries " + tries
                + (successful ? " successful" : " not successful");
    }
}
