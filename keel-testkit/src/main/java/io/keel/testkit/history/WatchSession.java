package io.keel.testkit.history;

import java.util.List;

/**
 * One watch stream of a watcher, from its create request (with {@code startRevision}, 0 meaning
 * "from now" and not allowed here) until it broke or was closed.
 */
public record WatchSession(long startRevision, List<WatchResponseRecord> responses) {

    public WatchSession {
        if (startRevision <= 0) {
            throw new IllegalArgumentException("record the explicit start revision of every watch, not "
                    + startRevision);
        }
        responses = List.copyOf(responses);
    }
}
