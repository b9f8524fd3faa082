package io.keel.cluster.schedule;

import io.keel.cluster.unit.Requirements;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Machines grouped by the {@code MachineMetadata} requirement they satisfy ("load classes"), each
 * kept least-loaded first, so finding the best machine for a unit starts at the best candidate
 * instead of scanning every machine. A class is built the first time a requirement is asked for;
 * a slot's load changes only through {@link #change}, which re-sorts it in every class it is in.
 */
final class LoadIndex {

    /** The machines satisfying one metadata requirement, least loaded first. */
    static final class LoadClass {
        final TreeSet<Slot> byLoad = new TreeSet<>(Slot.BY_LOAD);
        private final Map<String, List<String>> spreadValues = new HashMap<>();

        /** The distinct values of metadata {@code key} among this class's machines, sorted. */
        List<String> spreadValues(String key) {
            return spreadValues.computeIfAbsent(key, k -> byLoad.stream()
                    .map(s -> s.machine.metadata().get(k))
                    .filter(v -> v != null)
                    .distinct()
                    .sorted()
                    .toList());
        }
    }

    private final List<Slot> slots;
    private final Map<Map<String, List<String>>, LoadClass> classes = new HashMap<>();

    LoadIndex(List<Slot> slots) {
        this.slots = slots;
    }

    /** The class of machines whose metadata satisfies {@code requirements}' MachineMetadata. */
    LoadClass classFor(Requirements requirements) {
        LoadClass existing = classes.get(requirements.machineMetadata());
        if (existing != null) {
            return existing;
        }
        LoadClass created = new LoadClass();
        for (Slot slot : slots) {
            if (requirements.metadataMatches(slot.machine.metadata())) {
                created.byLoad.add(slot);
                slot.classes.add(created);
            }
        }
        classes.put(requirements.machineMetadata(), created);
        return created;
    }

    /** Applies {@code mutation} to {@code slot}'s load, keeping every class ordering correct. */
    void change(Slot slot, Consumer<Slot> mutation) {
        for (LoadClass c : slot.classes) {
            c.byLoad.remove(slot);
        }
        mutation.accept(slot);
        slot.refreshShare();
        for (LoadClass c : slot.classes) {
            c.byLoad.add(slot);
        }
    }

    /** Sorted copy of {@code candidates}, least loaded first. */
    static List<Slot> byLoad(List<Slot> candidates) {
        List<Slot> sorted = new ArrayList<>(candidates);
        sorted.sort(Slot.BY_LOAD);
        return sorted;
    }
}
