package io.keel.lifecycle.locksmith;

/** An unlock by an id that does not hold the lock. */
public final class NotHolderException extends RuntimeException {

    public NotHolderException(String id, Semaphore semaphore) {
        super("lock not held by " + id + " (held by " + semaphore.holdersText() + ")");
    }
}
