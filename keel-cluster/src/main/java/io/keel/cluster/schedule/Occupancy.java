package io.keel.cluster.schedule;

import io.keel.cluster.unit.Requirements;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The machines of one run and what is on them: per-machine load, conflict counts and spread
 * counts, with indexes by id, short id and metadata class. All changes go through
 * {@link #attach}/{@link #detach}/{@link #reserve} so every index stays consistent.
 */
final class Occupancy {

    final List<Slot> slots = new ArrayList<>();
    final SpreadCounts spread = new SpreadCounts();
    private final Map<String, Slot> byId = new HashMap<>();
    private final Map<String, List<Slot>> byShortId = new HashMap<>();
    private final LoadIndex loads;

    /** Machines sorted by id; the first of duplicate ids wins. */
    Occupancy(List<Machine> machines) {
        for (Machine machine : machines.stream().sorted(Comparator.comparing(Machine::id)).toList()) {
            if (!byId.containsKey(machine.id())) {
                Slot slot = new Slot(slots.size(), machine);
                slots.add(slot);
                byId.put(machine.id(), slot);
                byShortId.computeIfAbsent(Requirements.shortId(machine.id()), k -> new ArrayList<>()).add(slot);
            }
        }
        loads = new LoadIndex(slots);
    }

    Slot byId(String id) {
        return id == null ? null : byId.get(id);
    }

    /** Machines whose full id or 8-character short id is {@code machineId}. */
    List<Slot> pinnedTo(String machineId) {
        List<Slot> matches = new ArrayList<>(byShortId.getOrDefault(machineId, List.of()));
        Slot exact = byId.get(machineId);
        if (exact != null && !matches.contains(exact)) {
            matches.add(exact);
        }
        return matches;
    }

    /** Machines satisfying the MachineMetadata of {@code requirements}, least loaded first. */
    LoadIndex.LoadClass classFor(Requirements requirements) {
        return loads.classFor(requirements);
    }

    /** How many machines a unit's MachineID or MachineMetadata allows. */
    int allowedMachines(Requirements requirements) {
        return requirements.machineId().isPresent()
                ? pinnedTo(requirements.machineId().get()).size()
                : classFor(requirements).byLoad.size();
    }

    /** Sets aside resources on a machine (a global unit's request). */
    void reserve(Slot slot, long cpu, long memory) {
        loads.change(slot, s -> {
            s.cpuUsed += cpu;
            s.memoryUsed += memory;
        });
    }

    void attach(Entry entry, Slot slot) {
        loads.change(slot, s -> {
            s.units++;
            s.cpuUsed += entry.cpu();
            s.memoryUsed += entry.memory();
        });
        for (int pattern : entry.conflictMatchedBy) {
            slot.conflictMatches.merge(pattern, 1, Integer::sum);
        }
        for (int pattern : entry.conflictPatterns) {
            slot.conflictHolders.merge(pattern, 1, Integer::sum);
        }
        spread.add(entry, slot, 1);
        entry.slot = slot;
    }

    void detach(Entry entry) {
        Slot slot = entry.slot;
        loads.change(slot, s -> {
            s.units--;
            s.cpuUsed -= entry.cpu();
            s.memoryUsed -= entry.memory();
        });
        for (int pattern : entry.conflictMatchedBy) {
            slot.conflictMatches.merge(pattern, -1, Integer::sum);
        }
        for (int pattern : entry.conflictPatterns) {
            slot.conflictHolders.merge(pattern, -1, Integer::sum);
        }
        spread.add(entry, slot, -1);
        entry.slot = null;
    }
}
