package io.keel.cluster.registry;

/**
 * One engine decision about one unit, with the revisions it was decided on. The decision is
 * written only if every one of those keys still has that revision (0: the key must be absent) and
 * the writer is still the leader that made it.
 */
public sealed interface Decision {

    /** The unit the decision is about. */
    String unit();

    /** Put the unit on {@code machine} (first placement or a move). */
    record Place(String unit, String machine, String unitHash, long unitRevision, long machineRevision,
            long scheduleRevision, long unschedulableRevision) implements Decision {}

    /**
     * Take the unit off its machine; when {@code reason} is not null, also record why it cannot be
     * placed now.
     */
    record Unschedule(String unit, long unitRevision, long scheduleRevision, String reason,
            long unschedulableRevision) implements Decision {}

    /** Record (or update) why an unplaced unit cannot be placed. */
    record MarkUnschedulable(String unit, String reason, long unitRevision, long unschedulableRevision)
            implements Decision {}

    /** Forget an unschedulable reason that no longer applies (the unit was placed or destroyed). */
    record ClearUnschedulable(String unit, long unschedulableRevision) implements Decision {}
}
