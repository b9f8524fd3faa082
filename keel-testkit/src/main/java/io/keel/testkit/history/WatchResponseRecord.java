package io.keel.testkit.history;

import java.util.List;

/**
 * One watch response as the watcher received it.
 *
 * @param headerRevision the response header's revision
 * @param events the events, in the order received
 * @param progressNotify whether this is a progress notification (no events, not created, not
 *     canceled): all events up to {@code headerRevision} have been delivered
 * @param compactRevision non-zero when the watch was canceled because its start revision was
 *     compacted: revisions below it are gone
 */
public record WatchResponseRecord(long headerRevision, List<WatchEvent> events, boolean progressNotify,
        long compactRevision) {

    public WatchResponseRecord {
        events = List.copyOf(events);
        if (progressNotify && !events.isEmpty()) {
            throw new IllegalArgumentException("a progress notification has no events");
        }
    }

    public static WatchResponseRecord events(long headerRevision, WatchEvent... events) {
        return new WatchResponseRecord(headerRevision, List.of(events), false, 0);
    }

    public static WatchResponseRecord progress(long headerRevision) {
        return new WatchResponseRecord(headerRevision, List.of(), true, 0);
    }

    public static WatchResponseRecord compacted(long headerRevision, long compactRevision) {
        return new WatchResponseRecord(headerRevision, List.of(), false, compactRevision);
    }
}
