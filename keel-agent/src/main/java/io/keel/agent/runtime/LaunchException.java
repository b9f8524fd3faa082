package io.keel.agent.runtime;

/** A process or container could not be started; the message says why in one line. */
public class LaunchException extends Exception {
    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
