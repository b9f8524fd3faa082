package io.keel.lifecycle.locksmith;

/** The value at a semaphore key is not a valid locksmith semaphore; nothing was written. */
public final class BadSemaphoreException extends RuntimeException {

    private final String key;

    public BadSemaphoreException(String key, String problem) {
        super("the reboot lock at " + key + " is not a valid locksmith semaphore: " + problem
                + "; fix it with 'keel locksmith set-max --reset N' or delete the key");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
