package io.keel.cluster.registry;

import java.util.List;

/**
 * The outcome of writing a batch of decisions.
 *
 * @param applied decisions written
 * @param conflicts decisions not written because a key they were decided on had changed
 * @param deposed true if the writer was no longer the leader (nothing more was written)
 * @param transactions store transactions used, failed ones included
 * @param lastRevision the highest store revision a successful write produced (0 if none)
 */
public record ApplyResult(int applied, List<Decision> conflicts, boolean deposed, int transactions,
        long lastRevision) {

    public static final ApplyResult NOTHING = new ApplyResult(0, List.of(), false, 0, 0);

    public ApplyResult plus(ApplyResult other) {
        List<Decision> all = new java.util.ArrayList<>(conflicts);
        all.addAll(other.conflicts);
        return new ApplyResult(applied + other.applied, List.copyOf(all), deposed || other.deposed,
                transactions + other.transactions, Math.max(lastRevision, other.lastRevision));
    }
}
