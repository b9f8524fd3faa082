package io.keel.cluster.schedule;

import io.keel.cluster.unit.Requirements;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the machine for a unit, or for a MachineOf leader with the followers going with it: among
 * the machines its MachineID or MachineMetadata allows, in least-loaded order, the first that
 * {@link Fit fits}, preferring (1) machines where nothing must move for Replaces, then (2) for
 * units with Spread, the key values holding the fewest instances of the template (machines
 * without the key last). Stops at the first machine no later one could beat.
 */
final class Chooser {

    /** A machine and what placing there implies, or the reason there is none. */
    record Choice(Slot slot, Fit.Outcome outcome, String reason) {
        static Choice none(String reason) {
            return new Choice(null, null, reason);
        }
    }

    private static final long EVICTION_PENALTY = 1L << 40;

    private final Occupancy occupancy;

    Chooser(Occupancy occupancy) {
        this.occupancy = occupancy;
    }

    Choice choose(List<Entry> members) {
        Entry lead = members.get(0);
        Requirements r = lead.job.requirements();
        if (occupancy.slots.isEmpty()) {
            return Choice.none("no machines in the cluster");
        }
        String spreadKey = lead.spreadGroup == null ? null : SpreadCounts.keyOf(lead);
        Iterable<Slot> candidates;
        List<String> spreadValues;
        if (r.machineId().isPresent()) {
            List<Slot> pinned = LoadIndex.byLoad(occupancy.pinnedTo(r.machineId().get()));
            if (pinned.isEmpty()) {
                return Choice.none("no machine matches MachineID=" + r.machineId().get());
            }
            candidates = pinned;
            spreadValues = spreadKey == null ? List.of() : pinned.stream()
                    .map(s -> s.machine.metadata().get(spreadKey)).filter(v -> v != null).distinct().toList();
        } else {
            LoadIndex.LoadClass loadClass = occupancy.classFor(r);
            if (loadClass.byLoad.isEmpty()) {
                return Choice.none("no machine matches MachineMetadata " + describe(r.machineMetadata()));
            }
            candidates = loadClass.byLoad;
            spreadValues = spreadKey == null ? List.of() : loadClass.spreadValues(spreadKey);
        }
        int unbeatable = spreadKey == null ? 0 : occupancy.spread.min(lead.spreadGroup, spreadValues);
        return best(members, candidates, spreadKey, unbeatable);
    }

    private Choice best(List<Entry> members, Iterable<Slot> candidates, String spreadKey, int unbeatable) {
        Entry lead = members.get(0);
        Map<Fit.Failure, Integer> failures = new EnumMap<>(Fit.Failure.class);
        int tried = 0;
        Choice best = null;
        long bestRank = Long.MAX_VALUE;
        for (Slot slot : candidates) {
            tried++;
            Fit.Outcome outcome = Fit.check(members, slot);
            if (!outcome.fits()) {
                failures.merge(outcome.failure(), 1, Integer::sum);
                continue;
            }
            long rank = outcome.evictions().isEmpty() ? 0 : EVICTION_PENALTY;
            if (spreadKey != null) {
                String value = slot.machine.metadata().get(spreadKey);
                rank += value == null ? Integer.MAX_VALUE : occupancy.spread.count(lead.spreadGroup, value);
            }
            if (rank < bestRank) {
                best = new Choice(slot, outcome, null);
                bestRank = rank;
                if (rank == unbeatable) {
                    break;
                }
            }
        }
        return best != null ? best : Choice.none(Fit.describe(failures, tried, lead));
    }

    private static String describe(Map<String, List<String>> metadata) {
        List<String> parts = new ArrayList<>();
        metadata.forEach((key, values) -> parts.add(key + "=" + String.join("|", values)));
        return String.join(", ", parts);
    }
}
