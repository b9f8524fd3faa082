package io.keel.cluster.schedule;

import io.keel.cluster.unit.JobState;
import io.keel.cluster.unit.Quantities;
import io.keel.cluster.unit.Requirements;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitName;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for scheduler tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** A launched job whose [X-Fleet] section holds {@code xfleet} lines. */
    static Job job(String name, String... xfleet) {
        return job(name, JobState.LAUNCHED, xfleet);
    }

    static Job job(String name, JobState desired, String... xfleet) {
        UnitName unitName = UnitName.parse(name);
        UnitFile file = UnitFile.parse("[Service]\nExecStart=/bin/true\n[X-Fleet]\n" + String.join("\n", xfleet) + "\n");
        return new Job(unitName, Requirements.of(unitName, file), desired);
    }

    /** A machine with unlimited capacity and {@code key=value} metadata. */
    static Machine machine(String id, String... metadata) {
        return new Machine(id, metadata(metadata), Resources.NONE);
    }

    static Machine machine(String id, Resources capacity, String... metadata) {
        return new Machine(id, metadata(metadata), capacity);
    }

    static Resources capacity(String cpu, String memory) {
        return new Resources(Quantities.parseCpuMillis(cpu), Quantities.parseBytes(memory));
    }

    static Map<String, String> metadata(String... pairs) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            metadata.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return metadata;
    }

    static Decisions schedule(List<Machine> machines, List<Job> jobs) {
        return new Scheduler().schedule(machines, jobs, Map.of());
    }

    /** The placements after applying {@code decisions} to {@code current}. */
    static Map<String, String> apply(Map<String, String> current, Decisions decisions) {
        Map<String, String> after = new HashMap<>(current);
        decisions.unschedule().forEach(after::remove);
        after.putAll(decisions.place());
        return after;
    }
}
