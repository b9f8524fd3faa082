package io.keel.testkit.history;

import java.util.Objects;

/** What a client asked for: one operation on one key. */
public sealed interface KvInput {

    String key();

    /** A linearizable get of one key. */
    record Read(String key) implements KvInput {
        public Read {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return "read";
        }
    }

    /**
     * An unconditional put. The checker ties observed values to the write that stored them, so
     * every write to one key must write a value no other write to that key writes.
     */
    record Write(String key, String value) implements KvInput {
        public Write {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "write(\"" + value + "\")";
        }
    }

    /**
     * A compare-and-swap: put {@code newValue} if the key currently matches {@code expected}
     * (etcd: a Txn comparing {@code mod_revision} or {@code value}, with one put in its success
     * branch and optionally a get in its failure branch). {@code newValue} must be unique per key,
     * as for {@link Write}.
     */
    record Cas(String key, Expectation expected, String newValue) implements KvInput {
        public Cas {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(newValue, "newValue");
        }

        @Override
        public String toString() {
            return "cas(" + expected + " -> \"" + newValue + "\")";
        }
    }

    /** The condition of a {@link Cas}. */
    sealed interface Expectation {

        /**
         * The key's {@code mod_revision} equals {@code modRevision}; {@code 0} means the key does
         * not exist (as in etcd). A non-zero revision must be one the history shows for this key
         * (a client learns it from a read or from its own write).
         */
        record ModRevision(long modRevision) implements Expectation {
            public ModRevision {
                if (modRevision < 0) {
                    throw new IllegalArgumentException("mod_revision must not be negative");
                }
            }

            @Override
            public String toString() {
                return "mod_revision==" + modRevision;
            }
        }

        /** The key's value equals {@code value}; {@code null} means the key does not exist. */
        record Value(String value) implements Expectation {
            @Override
            public String toString() {
                return value == null ? "absent" : "value==\"" + value + "\"";
            }
        }
    }

    static Expectation modRevision(long modRevision) {
        return new Expectation.ModRevision(modRevision);
    }

    static Expectation value(String value) {
        return new Expectation.Value(value);
    }
}
