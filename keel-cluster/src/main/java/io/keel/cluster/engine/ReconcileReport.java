package io.keel.cluster.engine;

import java.time.Duration;

/**
 * What one reconcile did.
 *
 * @param viewRevision the store revision of the view it planned on
 * @param decisions decisions planned
 * @param placed units put on a machine (first placements and moves)
 * @param unscheduled units taken off their machine
 * @param applied decisions written
 * @param conflicts decisions not written because the view was stale (the next reconcile redoes them)
 * @param deposed the engine found it was no longer the leader
 * @param transactions store transactions used
 * @param planTime time spent deciding
 * @param writeTime time spent writing
 */
public record ReconcileReport(long viewRevision, int decisions, int placed, int unscheduled, int applied,
        int conflicts, boolean deposed, int transactions, Duration planTime, Duration writeTime) {

    public static ReconcileReport skipped(long viewRevision) {
        return new ReconcileReport(viewRevision, 0, 0, 0, 0, 0, false, 0, Duration.ZERO, Duration.ZERO);
    }
}
