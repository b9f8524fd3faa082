package io.keel.testkit.history;

/** A broken watch guarantee, found by {@link WatchGuaranteeChecker}. */
public record WatchViolation(Guarantee guarantee, String watcher, String detail) {

    /** etcd's watch guarantees (etcd.io/docs/v3.4/learning/api_guarantees/#watch-apis), and two more checks. */
    public enum Guarantee {
        /** Events are ordered by revision. */
        ORDERED,
        /** An event never appears twice on a watch. */
        UNIQUE,
        /** A revision's events are delivered in one response, all of them. */
        ATOMIC,
        /** No event is skipped between the start revision and the last revision a watcher saw. */
        RELIABLE,
        /** A watch resumed at a revision delivers exactly the events from that revision on. */
        RESUMABLE,
        /** After a progress notification at revision R, no event at or below R arrives. */
        BOOKMARKABLE,
        /** Every event is within the watched range. */
        FILTERED,
        /** Events agree with each other and with what clients wrote and read. */
        TRUTHFUL
    }

    @Override
    public String toString() {
        return guarantee + " [" + watcher + "] " + detail;
    }
}
