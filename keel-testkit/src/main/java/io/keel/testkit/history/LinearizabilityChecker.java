package io.keel.testkit.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks a recorded etcd client history for linearizability against a model of independent
 * key-value registers, Wing & Gong style with Lowe's memoization (as Porcupine and Knossos do).
 *
 * <p>The history is split by key and each key is checked on its own: linearizability is local
 * (P-compositional), so the history is linearizable iff every key's history is. Each key is a
 * register supporting read, write and compare-and-swap on its value or {@code mod_revision};
 * writes of a key must also take effect in increasing revision order, each value must have exactly
 * one revision, and each revision one value. Operations with an unknown outcome may take effect at
 * any time after their invocation, or never.
 *
 * <p>Requirements on the history: values written to one key are unique (a value names its
 * write), and a CAS on a {@code mod_revision} uses a revision that some recorded operation
 * saw or produced.
 *
 * <p>For each key that is not linearizable the report carries a shrunk sub-history (see
 * {@link LinearizabilityViolation}), produced by reductions that preserve linearizability, so
 * the sub-history is a genuine witness and small enough to read.
 */
public final class LinearizabilityChecker {

    public static final Duration TIME_LIMIT_DEFAULT = Duration.ofMinutes(2);
    public static final Duration SHRINK_BUDGET_DEFAULT = Duration.ofSeconds(30);

    private final Duration timeLimit;
    private final Duration shrinkBudget;

    /**
     * @param timeLimit how long the search may take over all keys before it reports the
     *     remaining keys as undecided
     * @param shrinkBudget how long shrinking one failing key may take
     */
    public LinearizabilityChecker(Duration timeLimit, Duration shrinkBudget) {
        this.timeLimit = timeLimit;
        this.shrinkBudget = shrinkBudget;
    }

    public LinearizabilityChecker() {
        this(TIME_LIMIT_DEFAULT, SHRINK_BUDGET_DEFAULT);
    }

    /** Checks {@code history} with the default limits. */
    public static LinearizabilityReport checkHistory(List<KvOperation> history) {
        return new LinearizabilityChecker().check(history);
    }

    public LinearizabilityReport check(List<KvOperation> history) {
        long deadline = System.nanoTime() + timeLimit.toNanos();
        Map<String, List<KvOperation>> byKey = history.stream()
                .collect(Collectors.groupingBy(KvOperation::key, TreeMap::new, Collectors.toList()));
        Map<String, Integer> keys = new LinkedHashMap<>();
        List<LinearizabilityViolation> violations = new ArrayList<>();
        Map<String, Integer> undecided = new LinkedHashMap<>();
        for (Map.Entry<String, List<KvOperation>> e : byKey.entrySet()) {
            String key = e.getKey();
            List<KvOperation> ops = e.getValue();
            keys.put(key, ops.size());
            KvModel.Translation translation = KvModel.translate(key, ops);
            if (!translation.consistent()) {
                violations.add(new LinearizabilityViolation(key, translation.inconsistency(), translation.witnesses(),
                        Set.of(), ops.size(), true));
                continue;
            }
            List<KvModel.Item> items = translation.items();
            LinearizationSearch.Outcome outcome = LinearizationSearch.check(
                    items.stream().map(KvModel.Item::timed).toList(), KvModel.INSTANCE,
                    () -> System.nanoTime() > deadline);
            switch (outcome) {
                case LINEARIZABLE -> { }
                case TIMED_OUT -> undecided.put(key, ops.size());
                case NOT_LINEARIZABLE -> violations.add(shrink(key, items, ops.size()));
            }
        }
        return new LinearizabilityReport(history.size(), keys, violations, undecided);
    }

    private LinearizabilityViolation shrink(String key, List<KvModel.Item> items, int keyOperations) {
        long budgetEnd = System.nanoTime() + shrinkBudget.toNanos();
        Shrinker shrinker = new Shrinker(() -> System.nanoTime() > budgetEnd);
        List<KvModel.Item> small = shrinker.shrink(items);
        List<KvOperation> ops = small.stream().map(KvModel.Item::op)
                .sorted(java.util.Comparator.comparingLong(KvOperation::invokeNanos)).toList();
        Set<Integer> cutPending = small.stream().filter(KvModel.Item::cutPending).map(i -> i.op().id())
                .collect(Collectors.toSet());
        return new LinearizabilityViolation(key,
                "not linearizable: no order of these operations, each taking effect between its invocation"
                        + " and its return, is consistent with one register", ops, cutPending, keyOperations,
                shrinker.minimal());
    }
}
