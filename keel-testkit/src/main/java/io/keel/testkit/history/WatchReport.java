package io.keel.testkit.history;

import java.util.List;

/** The outcome of {@link WatchGuaranteeChecker#check}. */
public record WatchReport(int watchers, int sessions, int events, List<WatchViolation> violations) {

    public WatchReport {
        violations = List.copyOf(violations);
    }

    public boolean holds() {
        return violations.isEmpty();
    }

    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(holds() ? "watch guarantees hold" : violations.size() + " watch guarantee violation(s)")
                .append(": ").append(watchers).append(" watchers, ").append(sessions).append(" sessions, ")
                .append(events).append(" events\n");
        for (WatchViolation violation : violations) {
            out.append("  ").append(violation).append('\n');
        }
        return out.toString();
    }

    /** Throws an {@link AssertionError} with {@link #describe()} if any guarantee is broken. */
    public void assertHolds() {
        if (!holds()) {
            throw new AssertionError(describe());
        }
    }
}
