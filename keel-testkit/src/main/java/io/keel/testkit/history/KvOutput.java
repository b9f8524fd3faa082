package io.keel.testkit.history;

/** What a client got back, or {@link Unknown} when it cannot tell whether the operation happened. */
public sealed interface KvOutput {

    /** The key's value at the read, {@code null} if the key did not exist. */
    record ReadOk(Versioned current) implements KvOutput {
        @Override
        public String toString() {
            return current == null ? "absent" : current.toString();
        }
    }

    /** The write was applied at {@code revision} (the response header's revision). */
    record WriteOk(long revision) implements KvOutput {
        public WriteOk {
            if (revision <= 0) {
                throw new IllegalArgumentException("revision must be positive, not " + revision);
            }
        }

        @Override
        public String toString() {
            return "ok@" + revision;
        }
    }

    /**
     * The compare-and-swap's definite result. On success {@code revision} is the revision of its
     * put. On failure {@code current} is what the failure branch's get returned, if it had one:
     * {@code null} with {@code currentObserved} when the key did not exist.
     */
    record CasOk(boolean succeeded, long revision, Versioned current, boolean currentObserved) implements KvOutput {

        public static CasOk succeeded(long revision) {
            if (revision <= 0) {
                throw new IllegalArgumentException("revision must be positive, not " + revision);
            }
            return new CasOk(true, revision, null, false);
        }

        /** Failed, and the failure branch read the key: {@code current} ({@code null}: absent). */
        public static CasOk failed(Versioned current) {
            return new CasOk(false, 0, current, true);
        }

        /** Failed, with nothing known about the key's value. */
        public static CasOk failed() {
            return new CasOk(false, 0, null, false);
        }

        @Override
        public String toString() {
            if (succeeded) {
                return "ok@" + revision;
            }
            return "failed" + (currentObserved ? ", current " + (current == null ? "absent" : current) : "");
        }
    }

    /**
     * The client does not know the outcome (timeout, connection lost, leader change): the
     * operation may have taken effect at any time after it was invoked, or never.
     */
    record Unknown(String reason) implements KvOutput {
        @Override
        public String toString() {
            return "unknown (" + reason + ")";
        }
    }
}
