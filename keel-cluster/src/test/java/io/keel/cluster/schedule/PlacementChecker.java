package io.keel.cluster.schedule;

import io.keel.cluster.unit.Glob;
import io.keel.cluster.unit.Requirements;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a set of placements against every constraint, independently of the scheduler's own
 * indexes (plain nested loops), and returns the violations.
 */
final class PlacementChecker {

    private PlacementChecker() {
    }

    static List<String> violations(List<Machine> machines, List<Job> jobs, Map<String, String> placements) {
        Map<String, Machine> machineById = new HashMap<>();
        machines.forEach(m -> machineById.put(m.id(), m));
        Map<String, Job> jobByName = new HashMap<>();
        jobs.forEach(j -> jobByName.put(j.name().value(), j));
        Map<String, List<Job>> byMachine = new HashMap<>();
        List<String> violations = new ArrayList<>();
        placements.forEach((unit, machineId) -> {
            Job job = jobByName.get(unit);
            Machine machine = machineById.get(machineId);
            if (job == null || machine == null || !job.wantsMachine() || job.requirements().global()) {
                violations.add(unit + " should not be on " + machineId);
                return;
            }
            byMachine.computeIfAbsent(machineId, k -> new ArrayList<>()).add(job);
            Requirements r = job.requirements();
            if (!r.machineIdMatches(machineId)) {
                violations.add(unit + " violates MachineID on " + machineId);
            }
            if (!r.metadataMatches(machine.metadata())) {
                violations.add(unit + " violates MachineMetadata on " + machineId);
            }
            for (String leader : r.machineOf()) {
                if (!machineId.equals(placements.get(leader))) {
                    violations.add(unit + " is not with its MachineOf " + leader);
                }
            }
        });
        byMachine.forEach((machineId, here) -> {
            long cpu = 0;
            long memory = 0;
            for (Job a : here) {
                cpu += a.requirements().cpuMillis();
                memory += a.requirements().memoryBytes();
                for (Job b : here) {
                    if (a == b) {
                        continue;
                    }
                    for (String pattern : a.requirements().conflicts()) {
                        if (Glob.compile(pattern).matches(b.name().value())) {
                            violations.add(a.name() + " conflicts with " + b.name() + " on " + machineId);
                        }
                    }
                    for (String pattern : a.requirements().replaces()) {
                        if (Glob.compile(pattern).matches(b.name().value())) {
                            violations.add(a.name() + " replaces " + b.name() + " but shares " + machineId);
                        }
                    }
                }
            }
            Resources capacity = machineById.get(machineId).capacity();
            for (Job global : jobs) {
                if (global.requirements().global() && global.wantsMachine()
                        && Scheduler.eligible(global, machineById.get(machineId))) {
                    cpu += global.requirements().cpuMillis();
                    memory += global.requirements().memoryBytes();
                }
            }
            if ((capacity.cpuMillis() > 0 && cpu > capacity.cpuMillis())
                    || (capacity.memoryBytes() > 0 && memory > capacity.memoryBytes())) {
                violations.add(machineId + " is over capacity");
            }
        });
        return violations;
    }
}
