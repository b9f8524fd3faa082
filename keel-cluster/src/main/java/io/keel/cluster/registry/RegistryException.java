package io.keel.cluster.registry;

/**
 * The store could not be used: unreachable, timed out, or holding data this Keel cannot read.
 * The message names the store endpoint or the key.
 */
public class RegistryException extends RuntimeException {

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
