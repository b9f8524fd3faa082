package io.keel.testkit.history;

import java.util.List;
import java.util.Objects;

/**
 * Everything one logical watcher received: its sessions in order. After a session breaks, the
 * watcher resumes with a new session from the revision after the last one it saw (the last
 * event's, or the last progress notification's).
 */
public record WatcherRecord(String name, WatchRange range, List<WatchSession> sessions) {

    public WatcherRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(range, "range");
        sessions = List.copyOf(sessions);
    }
}
