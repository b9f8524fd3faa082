package io.keel.testkit.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The register model of one etcd key, and the translation of a recorded history of that key
 * into model steps.
 *
 * <p>Values are unique per key, so a value names the write that stored it. The translation ties
 * every {@code mod_revision} a client saw to a value (a CAS on a revision becomes a CAS on that
 * value), checks that each value has exactly one revision and each revision one value, and
 * replaces values nobody observed by one placeholder so that states differing only in such
 * values are the same state to the search. The model state is the key's value together with the
 * highest write revision applied so far, so writes must also be linearized in revision order.
 * Operations with an unknown outcome step to "took effect here" or "never took effect".
 */
final class KvModel implements LinearizationSearch.Model<Set<KvModel.State>, KvModel.Step> {

    static final int ABSENT = 0;
    static final int UNOBSERVED = -1;
    static final int NONE = Integer.MIN_VALUE;

    static final KvModel INSTANCE = new KvModel();

    /** The key's value (an id: {@link #ABSENT}, {@link #UNOBSERVED} or a positive id) and max revision. */
    record State(int value, long maxRevision) {}

    sealed interface Step {
        /** Whether this step may change the key (so it cannot simply be dropped). */
        boolean mutating();

        /**
         * The value ids whose writes this step needs to be explained: what a read returned, what
         * a succeeded (or possibly applied) CAS matched, what a failed CAS's failure branch read.
         * A failed CAS does not need the write of the value it expected: without it, failing is
         * only easier.
         */
        Set<Integer> references();

        /** The same step with an unknown outcome. */
        Step asUnknown();
    }

    record Read(int value) implements Step {
        @Override
        public boolean mutating() {
            return false;
        }

        @Override
        public Set<Integer> references() {
            return Set.of(value);
        }

        @Override
        public Step asUnknown() {
            return null;
        }
    }

    record Write(int value, long revision, boolean unknown) implements Step {
        @Override
        public boolean mutating() {
            return true;
        }

        @Override
        public Set<Integer> references() {
            return Set.of();
        }

        @Override
        public Step asUnknown() {
            return new Write(value, revision, true);
        }
    }

    enum CasResult { SUCCEEDED, FAILED, UNKNOWN }

    /** {@code current} is the value the failure branch read, or {@link #NONE}. */
    record Cas(int expected, int value, long revision, CasResult result, int current) implements Step {
        @Override
        public boolean mutating() {
            return result != CasResult.FAILED;
        }

        @Override
        public Set<Integer> references() {
            if (result == CasResult.FAILED) {
                return current == NONE ? Set.of() : Set.of(current);
            }
            return Set.of(expected);
        }

        @Override
        public Step asUnknown() {
            return result == CasResult.FAILED ? null : new Cas(expected, value, revision, CasResult.UNKNOWN, NONE);
        }
    }

    private KvModel() {}

    @Override
    public Set<State> initial() {
        return Set.of(new State(ABSENT, 0));
    }

    @Override
    public Set<State> step(Set<State> states, Step step) {
        Set<State> next = new HashSet<>(4);
        for (State s : states) {
            switch (step) {
                case Read r -> {
                    if (s.value == r.value) {
                        next.add(s);
                    }
                }
                case Write w -> {
                    if (w.unknown) {
                        next.add(s);
                    }
                    if (w.revision == 0 || w.revision > s.maxRevision) {
                        next.add(new State(w.value, Math.max(s.maxRevision, w.revision)));
                    }
                }
                case Cas c -> {
                    boolean matches = s.value == c.expected;
                    boolean revisionOk = c.revision == 0 || c.revision > s.maxRevision;
                    switch (c.result) {
                        case SUCCEEDED -> {
                            if (matches && revisionOk) {
                                next.add(new State(c.value, Math.max(s.maxRevision, c.revision)));
                            }
                        }
                        case FAILED -> {
                            if (!matches && (c.current == NONE || c.current == s.value)) {
                                next.add(s);
                            }
                        }
                        case UNKNOWN -> {
                            next.add(s);
                            if (matches && revisionOk) {
                                next.add(new State(c.value, Math.max(s.maxRevision, c.revision)));
                            }
                        }
                    }
                }
            }
        }
        return next.isEmpty() ? null : Set.copyOf(next);
    }

    /** One operation of the key's history and the model step it became. */
    record Item(KvOperation op, Step step, long invokeTime, long returnTime, boolean cutPending) {

        Item(KvOperation op, Step step) {
            this(op, step, op.invokeNanos(), op.isUnknown() ? Long.MAX_VALUE : op.returnNanos(), false);
        }

        LinearizationSearch.Timed<Step> timed() {
            return new LinearizationSearch.Timed<>(step, invokeTime, returnTime);
        }

        /** The value id this operation writes, or {@link #NONE}. */
        int writes() {
            return switch (step) {
                case Write w -> w.value;
                case Cas c -> c.result == CasResult.FAILED ? NONE : c.value;
                case Read r -> NONE;
            };
        }
    }

    /** A key's history as model steps, or the inconsistency that makes translating it pointless. */
    record Translation(String key, List<KvOperation> operations, List<Item> items, String inconsistency,
            List<KvOperation> witnesses) {

        boolean consistent() {
            return inconsistency == null;
        }
    }

    /**
     * Translates the operations of one key. Unknown reads are dropped (they constrain nothing).
     *
     * @throws IllegalArgumentException if two writes of the key write the same value, or a CAS
     *     expects a revision the history never shows
     */
    static Translation translate(String key, List<KvOperation> operations) {
        List<KvOperation> ops = operations.stream()
                .filter(op -> !(op.isUnknown() && op.input() instanceof KvInput.Read))
                .toList();

        Map<String, KvOperation> writers = new HashMap<>();
        for (KvOperation op : ops) {
            String written = writtenValue(op.input());
            if (written != null) {
                KvOperation previous = writers.putIfAbsent(written, op);
                if (previous != null) {
                    throw new IllegalArgumentException("key " + key + ": operations #" + previous.id() + " and #"
                            + op.id() + " both write \"" + written + "\"; values written to one key must be unique");
                }
            }
        }

        // Every (value, revision) pair the history shows, with the operations that show it.
        Map<String, Map<Long, List<KvOperation>>> revisionsOfValue = new TreeMap<>();
        Map<Long, Map<String, List<KvOperation>>> valuesAtRevision = new TreeMap<>();
        for (KvOperation op : ops) {
            for (Versioned seen : evidence(op)) {
                revisionsOfValue.computeIfAbsent(seen.value(), v -> new TreeMap<>())
                        .computeIfAbsent(seen.modRevision(), r -> new ArrayList<>()).add(op);
                valuesAtRevision.computeIfAbsent(seen.modRevision(), r -> new TreeMap<>())
                        .computeIfAbsent(seen.value(), v -> new ArrayList<>()).add(op);
            }
        }
        for (Map.Entry<String, Map<Long, List<KvOperation>>> e : revisionsOfValue.entrySet()) {
            if (!writers.containsKey(e.getKey())) {
                List<KvOperation> readers = e.getValue().values().iterator().next();
                return inconsistent(key, operations, "operation #" + readers.getFirst().id()
                        + " saw value \"" + e.getKey() + "\", which no operation wrote", readers.subList(0, 1));
            }
            if (e.getValue().size() > 1) {
                return inconsistent(key, operations, "value \"" + e.getKey() + "\" was seen at revisions "
                        + e.getValue().keySet() + ", but one write has one revision",
                        withWriter(writers.get(e.getKey()), firstOfEach(e.getValue().values())));
            }
        }
        for (Map.Entry<Long, Map<String, List<KvOperation>>> e : valuesAtRevision.entrySet()) {
            if (e.getValue().size() > 1) {
                List<KvOperation> witnesses = new ArrayList<>();
                for (String value : e.getValue().keySet()) {
                    witnesses.add(writers.get(value));
                }
                witnesses.addAll(firstOfEach(e.getValue().values()));
                return inconsistent(key, operations, "revision " + e.getKey() + " holds different values "
                        + e.getValue().keySet() + " (split brain or a lost write)", dedupe(witnesses));
            }
        }
        Map<String, Long> revisionOf = new HashMap<>();
        Map<Long, String> valueAt = new HashMap<>();
        revisionsOfValue.forEach((value, revisions) -> {
            long revision = revisions.keySet().iterator().next();
            revisionOf.put(value, revision);
            valueAt.put(revision, value);
        });

        // Values someone observed keep their identity; the others collapse into UNOBSERVED.
        Set<String> observed = new LinkedHashSet<>(revisionOf.keySet());
        for (KvOperation op : ops) {
            if (op.input() instanceof KvInput.Cas cas) {
                String expected = expectedValue(key, op, cas, valueAt);
                if (expected != null) {
                    observed.add(expected);
                }
            }
        }
        Map<String, Integer> ids = new HashMap<>();
        for (String value : observed) {
            ids.put(value, ids.size() + 1);
        }

        List<Item> items = new ArrayList<>(ops.size());
        for (KvOperation op : ops) {
            items.add(new Item(op, step(key, op, ids, revisionOf, valueAt)));
        }
        return new Translation(key, operations, items, null, List.of());
    }

    private static Step step(String key, KvOperation op, Map<String, Integer> ids, Map<String, Long> revisionOf,
            Map<Long, String> valueAt) {
        return switch (op.input()) {
            case KvInput.Read r -> new Read(idOf(((KvOutput.ReadOk) op.output()).current(), ids));
            case KvInput.Write w -> {
                long revision = op.output() instanceof KvOutput.WriteOk ok ? ok.revision()
                        : revisionOf.getOrDefault(w.value(), 0L);
                yield new Write(ids.getOrDefault(w.value(), UNOBSERVED), revision, op.isUnknown());
            }
            case KvInput.Cas c -> {
                String expected = expectedValue(key, op, c, valueAt);
                int expectedId = expected == null ? ABSENT : ids.get(expected);
                int value = ids.getOrDefault(c.newValue(), UNOBSERVED);
                if (op.output() instanceof KvOutput.CasOk ok) {
                    if (ok.succeeded()) {
                        yield new Cas(expectedId, value, ok.revision(), CasResult.SUCCEEDED, NONE);
                    }
                    int current = ok.currentObserved() ? idOf(ok.current(), ids) : NONE;
                    yield new Cas(expectedId, value, 0, CasResult.FAILED, current);
                }
                yield new Cas(expectedId, value, revisionOf.getOrDefault(c.newValue(), 0L), CasResult.UNKNOWN, NONE);
            }
        };
    }

    private static int idOf(Versioned current, Map<String, Integer> ids) {
        return current == null ? ABSENT : ids.get(current.value());
    }

    /** The value a CAS compares against, {@code null} for "absent". */
    private static String expectedValue(String key, KvOperation op, KvInput.Cas cas, Map<Long, String> valueAt) {
        return switch (cas.expected()) {
            case KvInput.Expectation.Value v -> v.value();
            case KvInput.Expectation.ModRevision m -> {
                if (m.modRevision() == 0) {
                    yield null;
                }
                String value = valueAt.get(m.modRevision());
                if (value == null) {
                    throw new IllegalArgumentException("key " + key + ": operation #" + op.id()
                            + " expects mod_revision " + m.modRevision() + ", which no operation in the history"
                            + " saw or wrote; record the read the client took it from");
                }
                yield value;
            }
        };
    }

    static String writtenValue(KvInput input) {
        return switch (input) {
            case KvInput.Write w -> w.value();
            case KvInput.Cas c -> c.newValue();
            case KvInput.Read r -> null;
        };
    }

    /** The (value, revision) pairs an operation's output proves. */
    private static List<Versioned> evidence(KvOperation op) {
        List<Versioned> seen = new ArrayList<>(1);
        switch (op.output()) {
            case KvOutput.ReadOk r -> {
                if (r.current() != null) {
                    seen.add(r.current());
                }
            }
            case KvOutput.WriteOk w -> seen.add(new Versioned(((KvInput.Write) op.input()).value(), w.revision()));
            case KvOutput.CasOk c -> {
                if (c.succeeded()) {
                    seen.add(new Versioned(((KvInput.Cas) op.input()).newValue(), c.revision()));
                } else if (c.current() != null) {
                    seen.add(c.current());
                }
            }
            case KvOutput.Unknown u -> { }
        }
        return seen;
    }

    private static Translation inconsistent(String key, List<KvOperation> operations, String why,
            List<KvOperation> witnesses) {
        return new Translation(key, operations, List.of(), why, witnesses);
    }

    private static List<KvOperation> firstOfEach(java.util.Collection<List<KvOperation>> groups) {
        return groups.stream().map(List::getFirst).toList();
    }

    private static List<KvOperation> withWriter(KvOperation writer, List<KvOperation> others) {
        List<KvOperation> all = new ArrayList<>();
        all.add(writer);
        all.addAll(others);
        return dedupe(all);
    }

    private static List<KvOperation> dedupe(List<KvOperation> ops) {
        return ops.stream().filter(Objects::nonNull).distinct()
                .sorted(java.util.Comparator.comparingLong(KvOperation::invokeNanos)).toList();
    }
}
