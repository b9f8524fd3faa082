package io.keel.testkit.history;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link LinearizabilityChecker#check}: per key, whether its history is
 * linearizable. The whole history is linearizable iff every key's is (P-compositionality).
 *
 * @param operations how many operations were checked
 * @param keys per key: operations checked
 * @param violations keys whose history is not linearizable
 * @param undecided keys the search gave up on (time limit), with their operation counts
 */
public record LinearizabilityReport(int operations, Map<String, Integer> keys,
        List<LinearizabilityViolation> violations, Map<String, Integer> undecided) {

    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN }

    public LinearizabilityReport {
        keys = Map.copyOf(keys);
        violations = List.copyOf(violations);
        undecided = Map.copyOf(undecided);
    }

    public Verdict verdict() {
        if (!violations.isEmpty()) {
            return Verdict.NOT_LINEARIZABLE;
        }
        return undecided.isEmpty() ? Verdict.LINEARIZABLE : Verdict.UNKNOWN;
    }

    public boolean linearizable() {
        return verdict() == Verdict.LINEARIZABLE;
    }

    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(verdict()).append(": ").append(operations).append(" operations on ").append(keys.size())
                .append(" keys ").append(keys).append('\n');
        for (LinearizabilityViolation violation : violations) {
            out.append(violation.render());
        }
        undecided.forEach((key, count) -> out.append("key ").append(key).append(": undecided, the search over ")
                .append(count).append(" operations ran out of time\n"));
        return out.toString();
    }

    /** Throws an {@link AssertionError} with {@link #describe()} unless the verdict is linearizable. */
    public void assertLinearizable() {
        if (!linearizable()) {
            throw new AssertionError("History is not proven linearizable.\n" + describe());
        }
    }
}
