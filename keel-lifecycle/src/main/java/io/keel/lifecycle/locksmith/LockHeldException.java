package io.keel.lifecycle.locksmith;

import java.util.List;

/** No slot of the semaphore is free: the message names who holds it. */
public final class LockHeldException extends RuntimeException {

    private final Semaphore semaphore;

    public LockHeldException(Semaphore semaphore) {
        super("semaphore is at " + semaphore.semaphore() + " (max " + semaphore.max() + "): lock held by "
                + semaphore.holdersText());
        this.semaphore = semaphore;
    }

    public List<String> holders() {
        return semaphore.holders();
    }

    public Semaphore semaphore() {
        return semaphore;
    }
}
