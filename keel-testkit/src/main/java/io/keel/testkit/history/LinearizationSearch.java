package io.keel.testkit.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The Wing & Gong linearizability search with Lowe's memoization (the algorithm Porcupine
 * implements): repeatedly linearize a pending call whose model step is legal, backtrack at the
 * first return that has no linearized call, and never revisit a (linearized set, state) pair.
 *
 * <p>A model is deterministic: {@link Model#step} returns the next state or {@code null} if the
 * operation cannot take effect in {@code state}. Nondeterministic models step over sets of states.
 */
final class LinearizationSearch {

    /** How often (in search steps) the deadline is consulted. */
    private static final int DEADLINE_CHECK_INTERVAL = 1 << 12;

    interface Model<S, O> {
        S initial();

        /** The state after {@code op} took effect in {@code state}, or {@code null} if it cannot. */
        S step(S state, O op);
    }

    /** An operation with its real-time interval; {@code returnTime} may be {@link Long#MAX_VALUE}. */
    record Timed<O>(O op, long invokeTime, long returnTime) {}

    enum Outcome { LINEARIZABLE, NOT_LINEARIZABLE, TIMED_OUT }

    private LinearizationSearch() {}

    /**
     * Decides whether {@code ops} are linearizable with respect to {@code model}. Returns
     * {@link Outcome#TIMED_OUT} as soon as {@code expired} reports true.
     */
    static <S, O> Outcome check(List<Timed<O>> ops, Model<S, O> model, BooleanSupplier expired) {
        if (ops.isEmpty()) {
            return Outcome.LINEARIZABLE;
        }
        Entry<O> head = entries(ops);
        Set<CacheKey> cache = new HashSet<>();
        List<Frame<S, O>> calls = new ArrayList<>();
        long[] linearized = new long[(ops.size() + 63) >>> 6];
        S state = model.initial();
        Entry<O> entry = head.next;
        long steps = 0;
        while (head.next != null) {
            if (++steps % DEADLINE_CHECK_INTERVAL == 0 && expired.getAsBoolean()) {
                return Outcome.TIMED_OUT;
            }
            if (entry.match != null) {
                S next = model.step(state, entry.op);
                if (next != null) {
                    long[] candidate = linearized.clone();
                    candidate[entry.id >>> 6] |= 1L << entry.id;
                    if (cache.add(new CacheKey(candidate, next))) {
                        calls.add(new Frame<>(entry, state));
                        state = next;
                        linearized = candidate;
                        entry.lift();
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                if (calls.isEmpty()) {
                    return Outcome.NOT_LINEARIZABLE;
                }
                Frame<S, O> top = calls.removeLast();
                entry = top.entry;
                state = top.state;
                linearized = linearized.clone();
                linearized[entry.id >>> 6] &= ~(1L << entry.id);
                entry.unlift();
                entry = entry.next;
            }
        }
        return Outcome.LINEARIZABLE;
    }

    /** A doubly linked list of call and return entries in time order, calls first on ties. */
    private static <O> Entry<O> entries(List<Timed<O>> ops) {
        record Event<O>(int id, boolean call, long time, O op) {}
        List<Event<O>> events = new ArrayList<>(ops.size() * 2);
        for (int i = 0; i < ops.size(); i++) {
            Timed<O> t = ops.get(i);
            events.add(new Event<>(i, true, t.invokeTime(), t.op()));
            events.add(new Event<>(i, false, t.returnTime(), t.op()));
        }
        events.sort((a, b) -> {
            int byTime = Long.compare(a.time(), b.time());
            if (byTime != 0) {
                return byTime;
            }
            if (a.call() != b.call()) {
                return a.call() ? -1 : 1;
            }
            return Integer.compare(a.id(), b.id());
        });
        @SuppressWarnings("unchecked")
        Entry<O>[] returns = new Entry[ops.size()];
        Entry<O> head = new Entry<>(-1, null);
        Entry<O> last = head;
        List<Entry<O>> callsInOrder = new ArrayList<>();
        for (Event<O> e : events) {
            Entry<O> entry = new Entry<>(e.id(), e.op());
            if (e.call()) {
                callsInOrder.add(entry);
            } else {
                returns[e.id()] = entry;
            }
            last.next = entry;
            entry.prev = last;
            last = entry;
        }
        for (Entry<O> call : callsInOrder) {
            call.match = returns[call.id];
        }
        return head;
    }

    private static final class Entry<O> {
        final int id;
        final O op;
        Entry<O> match;
        Entry<O> prev;
        Entry<O> next;

        Entry(int id, O op) {
            this.id = id;
            this.op = op;
        }

        /** Removes this call and its return from the list. */
        void lift() {
            prev.next = next;
            next.prev = prev;
            match.prev.next = match.next;
            if (match.next != null) {
                match.next.prev = match.prev;
            }
        }

        /** Puts this call and its return back where {@link #lift} took them from. */
        void unlift() {
            match.prev.next = match;
            if (match.next != null) {
                match.next.prev = match;
            }
            prev.next = this;
            next.prev = this;
        }
    }

    private record Frame<S, O>(Entry<O> entry, S state) {}

    private record CacheKey(long[] linearized, Object state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof CacheKey other && Arrays.equals(linearized, other.linearized)
                    && Objects.equals(state, other.state);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(linearized) + Objects.hashCode(state);
        }
    }
}
