package io.keel.lifecycle.update;

/** Neither slot may boot: both have priority 0, or used up their tries without success. */
public final class NoBootableSlotException extends UpdateException {

    public NoBootableSlotException(String message) {
        super(message);
    }
}
