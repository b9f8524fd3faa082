package io.keel.cluster.schedule;

import static io.keel.cluster.schedule.Fixtures.apply;
import static io.keel.cluster.schedule.Fixtures.capacity;
import static io.keel.cluster.schedule.Fixtures.job;
import static io.keel.cluster.schedule.Fixtures.machine;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SchedulerStabilityTest {

    private final Scheduler scheduler = new Scheduler();

    private static List<Machine> machines(int count) {
        List<Machine> machines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            machines.add(machine("m" + i, "rack=r" + (i % 3)));
        }
        return machines;
    }

    private static List<Job> mixedJobs() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(job("web@" + i + ".service", "Conflicts=web@*.service", "Spread=rack"));
            jobs.add(job("web-log@" + i + ".service", "MachineOf=web@" + i + ".service"));
            jobs.add(job("batch" + i + ".service"));
        }
        jobs.add(job("db.service", "MachineMetadata=rack=r1"));
        return jobs;
    }

    @Test
    void secondRunChangesNothing() {
        List<Machine> machines = machines(6);
        List<Job> jobs = mixedJobs();
        Map<String, String> placed = apply(Map.of(), scheduler.schedule(machines, jobs, Map.of()));
        Decisions again = scheduler.schedule(machines, jobs, placed);
        assertThat(again.isEmpty()).isTrue();
        assertThat(again.unschedulable()).isEmpty();
    }

    @Test
    void addingAMachineMovesNothing() {
        List<Machine> machines = machines(6);
        List<Job> jobs = mixedJobs();
        Map<String, String> placed = apply(Map.of(), scheduler.schedule(machines, jobs, Map.of()));
        assertThat(placed).hasSize(jobs.size());
        List<Machine> more = new ArrayList<>(machines);
        more.add(machine("m9", "rack=r0"));
        assertThat(scheduler.schedule(more, jobs, placed).isEmpty()).isTrue();
    }

    @Test
    void losingAMachineMovesOnlyItsUnits() {
        List<Machine> machines = machines(7);
        List<Job> jobs = mixedJobs();
        Map<String, String> placed = apply(Map.of(), scheduler.schedule(machines, jobs, Map.of()));
        List<Machine> survivors = machines.subList(1, 7);
        Decisions d = scheduler.schedule(survivors, jobs, placed);
        List<String> onLost = placed.entrySet().stream().filter(e -> e.getValue().equals("m0")).map(Map.Entry::getKey)
                .sorted().toList();
        assertThat(onLost).isNotEmpty();
        assertThat(d.place().keySet()).containsExactlyInAnyOrderElementsOf(onLost);
        assertThat(d.place().values()).doesNotContain("m0");
        assertThat(d.unschedule()).isEmpty();
        assertThat(PlacementChecker.violations(survivors, jobs, apply(placed, d))).isEmpty();
    }

    @Test
    void aMachineTooFewLeavesConflictingInstancesWaitingUntilOneAppears() {
        List<Machine> machines = machines(5);
        List<Job> jobs = mixedJobs();
        Decisions first = scheduler.schedule(machines, jobs, Map.of());
        assertThat(first.unschedulable()).containsOnlyKeys("web@5.service", "web-log@5.service");
        assertThat(first.unschedulable().get("web@5.service"))
                .isEqualTo("no machine can take it: Conflicts=web@*.service rules out 5 of 5 machines");
        assertThat(first.unschedulable().get("web-log@5.service"))
                .isEqualTo("waiting for MachineOf unit web@5.service to be scheduled");
        List<Machine> more = new ArrayList<>(machines);
        more.add(machine("m9", "rack=r2"));
        Decisions second = scheduler.schedule(more, jobs, apply(Map.of(), first));
        assertThat(second.place()).containsExactly(Map.entry("web-log@5.service", "m9"), Map.entry("web@5.service", "m9"));
        assertThat(second.unschedulable()).isEmpty();
    }

    @Test
    void unschedulableUnitsArePlacedWhenAMachineAppears() {
        List<Job> jobs = List.of(job("a.service", "MachineMetadata=disk=ssd"));
        Decisions before = scheduler.schedule(List.of(machine("m1")), jobs, Map.of());
        assertThat(before.unschedulable()).containsOnlyKeys("a.service");
        Decisions after = scheduler.schedule(List.of(machine("m1"), machine("m2", "disk=ssd")), jobs, Map.of());
        assertThat(after.place()).containsExactly(Map.entry("a.service", "m2"));
        assertThat(after.unschedulable()).isEmpty();
    }

    @Test
    void unitsOverShrunkCapacityMove() {
        List<Job> jobs = List.of(job("a.service", "CPU=1"), job("b.service", "CPU=1"));
        Map<String, String> current = Map.of("a.service", "m1", "b.service", "m1");
        Decisions d = scheduler.schedule(List.of(machine("m1", capacity("1", "0")), machine("m2")), jobs, current);
        assertThat(d.place()).containsExactly(Map.entry("b.service", "m2"));
    }

    @Test
    void unitOnAMachineItIsNoLongerEligibleForMoves() {
        List<Job> jobs = List.of(job("a.service", "MachineID=m2"));
        Decisions d = scheduler.schedule(List.of(machine("m1"), machine("m2")), jobs, Map.of("a.service", "m1"));
        assertThat(d.place()).containsExactly(Map.entry("a.service", "m2"));
    }

    @Test
    void inputOrderDoesNotMatter() {
        List<Machine> machines = machines(5);
        List<Job> jobs = mixedJobs();
        Map<String, String> current = Map.of("batch0.service", "m3", "web@0.service", "m1", "gone.service", "m2");
        Decisions expected = scheduler.schedule(machines, jobs, current);
        Random random = new Random(42);
        for (int round = 0; round < 5; round++) {
            List<Machine> shuffledMachines = new ArrayList<>(machines);
            List<Job> shuffledJobs = new ArrayList<>(jobs);
            Collections.shuffle(shuffledMachines, random);
            Collections.shuffle(shuffledJobs, random);
            assertThat(scheduler.schedule(shuffledMachines, shuffledJobs, new HashMap<>(current))).isEqualTo(expected);
        }
    }

    @Test
    void duplicatesAreIgnored() {
        List<Machine> machines = List.of(machine("m1"), machine("m1", "rack=x"));
        List<Job> jobs = List.of(job("a.service"), job("a.service", "MachineID=nowhere"));
        Decisions d = scheduler.schedule(machines, jobs, Map.of());
        assertThat(d.place()).containsExactly(Map.entry("a.service", "m1"));
    }
}
