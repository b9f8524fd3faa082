package io.keel.cluster.schedule;

import static io.keel.cluster.schedule.Fixtures.apply;
import static io.keel.cluster.schedule.Fixtures.capacity;
import static io.keel.cluster.schedule.Fixtures.job;
import static io.keel.cluster.schedule.Fixtures.machine;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cluster.unit.Requirements;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LongSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's shape (10,000 units on 1,000 machines, some with Conflicts and metadata
 * constraints) checked for correctness. Timing is printed for information, never asserted:
 * benchmarks live in keel-bench.
 */
class SchedulerScaleTest {

    private static final int MACHINES = 1_000;
    private static final int RACKS = 20;

    private final Scheduler scheduler = new Scheduler();

    private static List<Machine> machines() {
        List<Machine> machines = new ArrayList<>();
        for (int i = 0; i < MACHINES; i++) {
            machines.add(machine(String.format("%08x%024d", i * 2654435761L & 0xffffffffL, i), capacity("16", "64G"),
                    "rack=r" + (i % RACKS), "disk=" + (i % 4 == 0 ? "ssd" : "hdd"),
                    "region=" + (i % 2 == 0 ? "us-east" : "us-west")));
        }
        return machines;
    }

    private static List<Job> jobs(List<Machine> machines) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            jobs.add(job("web@" + i + ".service", "Conflicts=web@*.service", "CPU=500m", "Memory=512M"));
        }
        for (int i = 0; i < 1_000; i++) {
            jobs.add(job("api@" + i + ".service", "Spread=rack", "CPU=250m"));
        }
        for (int i = 0; i < 200; i++) {
            jobs.add(job("db@" + i + ".service", "MachineMetadata=disk=ssd", "Conflicts=db@*.service", "Memory=4G"));
            jobs.add(job("db-sidecar@" + i + ".service", "MachineOf=db@" + i + ".service"));
        }
        for (int i = 0; i < 2_000; i++) {
            jobs.add(job("east@" + i + ".service", "MachineMetadata=region=us-east"));
        }
        for (int i = 0; i < 100; i++) {
            jobs.add(job("pinned@" + i + ".service", "MachineID=" + Requirements.shortId(machines.get(i * 10).id())));
        }
        for (int i = 0; i < 50; i++) {
            jobs.add(job("old@" + i + ".service"));
            jobs.add(job("new@" + i + ".service", "Replaces=old@" + i + ".service"));
        }
        for (int i = 0; jobs.size() < 10_000; i++) {
            jobs.add(job("batch@" + i + ".service", "Memory=256M"));
        }
        jobs.add(job("agent.service", "Global=true", "CPU=100m", "Memory=128M"));
        return jobs;
    }

    @Test
    void placesTenThousandUnitsOnAThousandMachinesHonouringEveryConstraint() {
        List<Machine> machines = machines();
        List<Job> jobs = jobs(machines);
        assertThat(jobs).hasSize(10_001);

        long start = System.nanoTime();
        Decisions decisions = scheduler.schedule(machines, jobs, Map.of());
        long placedIn = System.nanoTime() - start;

        assertThat(decisions.unschedulable()).isEmpty();
        assertThat(decisions.place()).hasSize(10_000).doesNotContainKey("agent.service");
        Map<String, String> placements = apply(Map.of(), decisions);
        assertThat(PlacementChecker.violations(machines, jobs, placements)).isEmpty();
        assertSpreadEven(machines, placements);
        assertBalanced(machines, placements);

        start = System.nanoTime();
        Decisions again = scheduler.schedule(machines, jobs, placements);
        long keptIn = System.nanoTime() - start;
        assertThat(again.isEmpty()).isTrue();

        List<Machine> survivors = machines.subList(10, MACHINES);
        start = System.nanoTime();
        Decisions afterLoss = scheduler.schedule(survivors, jobs, placements);
        long rescheduledIn = System.nanoTime() - start;
        long onLost = placements.values().stream()
                .filter(id -> machines.subList(0, 10).stream().anyMatch(m -> m.id().equals(id))).count();
        // Everything on the lost machines moves, except the unit pinned to one of them, which waits.
        String pinnedToLost = "pinned@0.service";
        assertThat(placements.get(pinnedToLost)).isEqualTo(machines.get(0).id());
        assertThat(afterLoss.place()).hasSize((int) onLost - 1).doesNotContainKey(pinnedToLost);
        assertThat(afterLoss.unschedule()).containsExactly(pinnedToLost);
        assertThat(afterLoss.unschedulable()).containsExactly(Map.entry(pinnedToLost,
                "no machine matches MachineID=" + Requirements.shortId(machines.get(0).id())));
        assertThat(PlacementChecker.violations(survivors, jobs, apply(placements, afterLoss))).isEmpty();

        System.out.printf("scheduler: place 10000 units on 1000 machines %d ms, keep all %d ms, "
                + "reschedule %d units after losing 10 machines %d ms%n",
                placedIn / 1_000_000, keptIn / 1_000_000, onLost, rescheduledIn / 1_000_000);
    }

    @Test
    void sameInputSameDecisions() {
        List<Machine> machines = machines();
        List<Job> jobs = jobs(machines);
        assertThat(scheduler.schedule(machines, jobs, Map.of())).isEqualTo(scheduler.schedule(machines, jobs, Map.of()));
    }

    private static void assertSpreadEven(List<Machine> machines, Map<String, String> placements) {
        Map<String, String> rackOf = machines.stream().collect(Collectors.toMap(Machine::id, m -> m.metadata().get("rack")));
        Map<String, Long> perRack = placements.entrySet().stream().filter(e -> e.getKey().startsWith("api@"))
                .collect(Collectors.groupingBy(e -> rackOf.get(e.getValue()), Collectors.counting()));
        assertThat(perRack).hasSize(RACKS);
        LongSummaryStatistics stats = perRack.values().stream().mapToLong(Long::longValue).summaryStatistics();
        assertThat(stats.getMax() - stats.getMin()).isLessThanOrEqualTo(1);
    }

    private static void assertBalanced(List<Machine> machines, Map<String, String> placements) {
        Map<String, Integer> units = new HashMap<>();
        machines.forEach(m -> units.put(m.id(), 0));
        placements.values().forEach(id -> units.merge(id, 1, Integer::sum));
        assertThat(units.values()).allSatisfy(n -> assertThat(n).isBetween(5, 20));
    }
}
