package io.keel.testkit.history;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Why one key's history is not linearizable, with a small failing sub-history: operations that
 * on their own admit no order consistent with a register (see {@link LinearizabilityChecker}).
 *
 * @param key the key
 * @param reason what is wrong, in one sentence
 * @param operations the failing sub-history, in invocation order
 * @param cutPending ids of operations that had not returned at the cut of the sub-history and
 *     are therefore shown as unknown
 * @param keyOperations how many operations the key's full history has
 * @param minimal whether no single operation can be removed from {@code operations} (false if the
 *     shrinking budget ran out first)
 */
public record LinearizabilityViolation(String key, String reason, List<KvOperation> operations,
        Set<Integer> cutPending, int keyOperations, boolean minimal) {

    public LinearizabilityViolation {
        operations = List.copyOf(operations);
        cutPending = Set.copyOf(cutPending);
    }

    /** A table of the sub-history with times in milliseconds from its first invocation. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("key ").append(key).append(": ").append(reason).append('\n');
        out.append(minimal ? "minimal failing sub-history" : "failing sub-history (shrinking budget ran out)")
                .append(", ").append(operations.size()).append(" of ").append(keyOperations)
                .append(" operations on this key (ms from the first invocation shown):\n");
        long origin = operations.stream().mapToLong(KvOperation::invokeNanos).min().orElse(0);
        out.append(String.format(Locale.ROOT, "  %-8s %-10s %10s %10s  %s%n", "op", "client", "invoke", "return",
                "operation -> result"));
        for (KvOperation op : operations) {
            String returned = op.isUnknown() ? "never" : ms(op.returnNanos() - origin);
            String result = cutPending.contains(op.id())
                    ? op.output() + " [still running at the cut: treated as unknown]" : op.output().toString();
            out.append(String.format(Locale.ROOT, "  %-8s %-10s %10s %10s  %s -> %s%n", "#" + op.id(), op.client(),
                    ms(op.invokeNanos() - origin), returned, op.input(), result));
        }
        return out.toString();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    @Override
    public String toString() {
        return render();
    }
}
