package io.keel.cluster.schedule;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides which machine each unit runs on: a pure, deterministic function of the machines, the
 * jobs and the current placements (no store, no clock, no I/O), so the engine can call it on every
 * reconcile and tests can call it directly.
 *
 * <p>Policy, in order:
 *
 * <ol>
 *   <li><b>Keep</b> every current placement that is still valid (machine present, MachineID,
 *       MachineMetadata and MachineOf still satisfied, no conflicting unit kept there before it, no
 *       unit that replaces it there, capacity not exceeded). There is no rebalancing: a valid
 *       placement never moves.
 *   <li><b>Constraints</b> decide which machines may take a unit: MachineID (full or 8-character
 *       short id), MachineMetadata (same key = OR, different keys = AND), MachineOf (followers go
 *       where all their leaders are; a leader and its pending followers are placed together when
 *       one machine can take them all), Conflicts (globs, both directions), Replaces (a replaced
 *       unit never shares a machine with its replacer; when a replacer can only go where a replaced
 *       unit is, the replaced unit is moved), and free CPU/Memory (requests summed per machine,
 *       global units' requests reserved first; a capacity of 0 means unlimited).
 *   <li><b>Spread</b>: among eligible machines, instances of a template with {@code Spread=key} go
 *       to the value of {@code key} that has the fewest of them (machines without the key last).
 *   <li><b>Least loaded</b>: fewest units, then smallest dominant resource share, then machine id.
 * </ol>
 *
 * <p>Units are placed most constrained first: pinned (MachineID), then those whose MachineMetadata
 * allows the fewest machines, then by name. Global units are never placed:
 * the registry runs them on {@link #eligibleMachines every eligible machine}.
 *
 * <p>Stateless: one instance may be shared and called from any thread.
 *
 * <p>Cost is about O((units + machines) log machines) plus, per unit, the machines it has to skip;
 * conflicts are counted per machine and pattern rather than scanned.
 */
public final class Scheduler {

    /**
     * Decides placements.
     *
     * @param machines the machines present now (duplicates by id: the first wins)
     * @param jobs every submitted unit (duplicates by name: the first wins)
     * @param currentPlacements unit name to the machine id it is scheduled to now; may name units
     *     and machines that no longer exist
     * @return what to write; see {@link Decisions}
     */
    public Decisions schedule(List<Machine> machines, List<Job> jobs, Map<String, String> currentPlacements) {
        Objects.requireNonNull(machines, "machines");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(currentPlacements, "currentPlacements");
        return new Placement(machines, jobs, currentPlacements).run();
    }

    /**
     * The ids (sorted) of the machines {@code job} may run on considering only its own
     * requirements: MachineID, MachineMetadata, and whether its CPU/Memory request fits the
     * machine's capacity at all. For a global unit this is exactly where it runs.
     */
    public List<String> eligibleMachines(Job job, List<Machine> machines) {
        return machines.stream()
                .filter(m -> eligible(job, m))
                .map(Machine::id)
                .distinct()
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    static boolean eligible(Job job, Machine machine) {
        return job.requirements().machineIdMatches(machine.id())
                && job.requirements().metadataMatches(machine.metadata())
                && machine.capacity().fits(Resources.NONE, job.request());
    }
}
