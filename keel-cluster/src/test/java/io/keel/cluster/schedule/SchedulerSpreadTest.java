package io.keel.cluster.schedule;

import static io.keel.cluster.schedule.Fixtures.job;
import static io.keel.cluster.schedule.Fixtures.machine;
import static io.keel.cluster.schedule.Fixtures.schedule;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SchedulerSpreadTest {

    private final Scheduler scheduler = new Scheduler();

    private static List<Job> instances(String template, int count, String... xfleet) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            jobs.add(job(template + "@" + i + ".service", xfleet));
        }
        return jobs;
    }

    private static Map<String, Long> perValue(List<Machine> machines, Map<String, String> placements, String prefix,
            String key) {
        Map<String, String> valueOf = machines.stream()
                .collect(Collectors.toMap(Machine::id, m -> m.metadata().getOrDefault(key, "-")));
        return placements.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .collect(Collectors.groupingBy(e -> valueOf.get(e.getValue()), TreeMap::new, Collectors.counting()));
    }

    @Test
    void instancesSpreadEvenlyAcrossValuesNotMachines() {
        // Rack a has four machines, rack b only one: spreading by machine would put 4 of 5 in rack a.
        List<Machine> machines = List.of(machine("a1", "rack=a"), machine("a2", "rack=a"), machine("a3", "rack=a"),
                machine("a4", "rack=a"), machine("b1", "rack=b"));
        Decisions d = schedule(machines, instances("web", 6, "Spread=rack"));
        assertThat(perValue(machines, d.place(), "web@", "rack")).containsExactly(Map.entry("a", 3L), Map.entry("b", 3L));
    }

    @Test
    void withoutSpreadTheSameClusterFillsByMachine() {
        List<Machine> machines = List.of(machine("a1", "rack=a"), machine("a2", "rack=a"), machine("a3", "rack=a"),
                machine("a4", "rack=a"), machine("b1", "rack=b"));
        Decisions d = schedule(machines, instances("web", 5));
        assertThat(perValue(machines, d.place(), "web@", "rack")).containsExactly(Map.entry("a", 4L), Map.entry("b", 1L));
    }

    @Test
    void spreadCountsInstancesAlreadyRunning() {
        List<Machine> machines = List.of(machine("a1", "rack=a"), machine("b1", "rack=b"), machine("c1", "rack=c"));
        List<Job> jobs = instances("web", 4, "Spread=rack");
        Decisions d = scheduler.schedule(machines, jobs, Map.of("web@1.service", "a1", "web@2.service", "a1"));
        assertThat(d.place()).containsOnlyKeys("web@3.service", "web@4.service");
        assertThat(d.place().values()).containsExactlyInAnyOrder("b1", "c1");
    }

    @Test
    void machinesWithoutTheKeyAreUsedLast() {
        List<Machine> machines = List.of(machine("bare"), machine("r1", "rack=a"));
        Decisions d = schedule(machines, instances("web", 3, "Spread=rack"));
        assertThat(d.place()).containsEntry("web@1.service", "r1").containsEntry("web@2.service", "r1")
                .containsEntry("web@3.service", "r1");
    }

    @Test
    void spreadYieldsToHardConstraints() {
        List<Machine> machines = List.of(machine("a1", "rack=a"), machine("a2", "rack=a"), machine("b1", "rack=b"));
        Decisions d = schedule(machines, instances("web", 3, "Spread=rack", "Conflicts=web@*.service"));
        assertThat(d.place().values()).containsExactlyInAnyOrder("a1", "a2", "b1");
    }

    @Test
    void templatesAreSpreadIndependently() {
        List<Machine> machines = List.of(machine("a1", "rack=a"), machine("b1", "rack=b"));
        List<Job> jobs = new ArrayList<>(instances("web", 2, "Spread=rack"));
        jobs.addAll(instances("api", 2, "Spread=rack"));
        Decisions d = schedule(machines, jobs);
        assertThat(perValue(machines, d.place(), "web@", "rack")).containsExactly(Map.entry("a", 1L), Map.entry("b", 1L));
        assertThat(perValue(machines, d.place(), "api@", "rack")).containsExactly(Map.entry("a", 1L), Map.entry("b", 1L));
    }

    @Test
    void withinAValueTheLeastLoadedMachineIsChosen() {
        List<Machine> machines = List.of(machine("a1", "rack=a"), machine("a2", "rack=a"), machine("b1", "rack=b"));
        Decisions d = scheduler.schedule(machines, List.of(job("busy.service"), job("web@1.service", "Spread=rack"),
                job("web@2.service", "Spread=rack")), Map.of("busy.service", "a1"));
        // Both racks hold no instance yet: web@1 takes the least loaded machine overall (a2, since a1 is
        // busy); web@2 then goes to rack b, the value with fewer instances.
        assertThat(d.place()).containsEntry("web@1.service", "a2").containsEntry("web@2.service", "b1");
    }

    @Test
    void spreadWorksWithMetadataAndPinnedCandidates() {
        List<Machine> machines = List.of(machine("a1", "rack=a", "disk=ssd"), machine("a2", "rack=a", "disk=hdd"),
                machine("b1", "rack=b", "disk=ssd"));
        Decisions d = schedule(machines, instances("db", 2, "Spread=rack", "MachineMetadata=disk=ssd"));
        assertThat(d.place().values()).containsExactlyInAnyOrder("a1", "b1");
    }
}
