package io.keel.lifecycle.update;

/** A release, slot or update refused or failed; the message is one line naming the problem. */
public class UpdateException extends RuntimeException {

    public UpdateException(String message) {
        super(message);
    }

    public UpdateException(String message, Throwable cause) {
        super(message, cause);
    }
}
