package io.keel.cluster.schedule;

import static io.keel.cluster.schedule.Fixtures.apply;
import static io.keel.cluster.schedule.Fixtures.capacity;
import static io.keel.cluster.schedule.Fixtures.job;
import static io.keel.cluster.schedule.Fixtures.machine;
import static io.keel.cluster.schedule.Fixtures.schedule;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cluster.unit.JobState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerMachineOfTest {

    private final Scheduler scheduler = new Scheduler();
    private final List<Machine> twoMachines = List.of(machine("m1"), machine("m2"));

    @Test
    void followerGoesWhereItsLeaderGoes() {
        Decisions d = schedule(twoMachines, List.of(
                job("a.service"), job("b.service"), job("app.service"), job("app-log.service", "MachineOf=app.service")));
        assertThat(d.place().get("app-log.service")).isEqualTo(d.place().get("app.service"));
    }

    @Test
    void chainsFollowTheirRoot() {
        List<Job> jobs = List.of(job("x.service"), job("a.service"),
                job("b.service", "MachineOf=a.service"), job("c.service", "MachineOf=b.service"));
        Decisions d = schedule(twoMachines, jobs);
        assertThat(d.place().get("b.service")).isEqualTo(d.place().get("a.service"));
        assertThat(d.place().get("c.service")).isEqualTo(d.place().get("a.service"));
    }

    @Test
    void followerOfAKeptLeaderJoinsIt() {
        Decisions d = scheduler.schedule(twoMachines,
                List.of(job("a.service"), job("b.service", "MachineOf=a.service"), job("x.service")),
                Map.of("a.service", "m2", "x.service", "m1"));
        assertThat(d.place()).containsExactly(Map.entry("b.service", "m2"));
    }

    @Test
    void followerWithSeveralLeadersNeedsThemTogether() {
        Decisions together = scheduler.schedule(twoMachines,
                List.of(job("a.service"), job("b.service"), job("c.service", "MachineOf=a.service", "MachineOf=b.service")),
                Map.of("a.service", "m2", "b.service", "m2"));
        assertThat(together.place()).containsExactly(Map.entry("c.service", "m2"));
        Decisions apart = scheduler.schedule(twoMachines,
                List.of(job("a.service"), job("b.service"), job("c.service", "MachineOf=a.service", "MachineOf=b.service")),
                Map.of("a.service", "m1", "b.service", "m2"));
        assertThat(apart.unschedulable()).containsExactly(
                Map.entry("c.service", "MachineOf units a.service and b.service are on different machines"));
    }

    @Test
    void missingLeaderMakesTheFollowerUnschedulable() {
        Decisions d = schedule(twoMachines, List.of(job("b.service", "MachineOf=a.service")));
        assertThat(d.unschedulable()).containsExactly(Map.entry("b.service", "MachineOf unit a.service does not exist"));
    }

    @Test
    void followerWaitsForAnInactiveOrUnschedulableLeader() {
        Decisions inactive = schedule(twoMachines,
                List.of(job("a.service", JobState.INACTIVE), job("b.service", "MachineOf=a.service")));
        assertThat(inactive.unschedulable()).containsExactly(
                Map.entry("b.service", "waiting for MachineOf unit a.service, whose desired state is inactive"));
        Decisions stuck = schedule(twoMachines,
                List.of(job("a.service", "MachineID=nowhere"), job("b.service", "MachineOf=a.service")));
        assertThat(stuck.unschedulable()).containsEntry("b.service",
                "waiting for MachineOf unit a.service to be scheduled");
    }

    @Test
    void leaderThatIsGlobalHasNoMachineToFollow() {
        Decisions d = schedule(twoMachines,
                List.of(job("a.service", "Global=true"), job("b.service", "MachineOf=a.service")));
        assertThat(d.unschedulable()).containsExactly(
                Map.entry("b.service", "MachineOf unit a.service is global and has no single machine"));
    }

    @Test
    void cycleIsUnschedulable() {
        Decisions d = schedule(twoMachines, List.of(
                job("a.service", "MachineOf=b.service"), job("b.service", "MachineOf=a.service"), job("c.service")));
        assertThat(d.unschedulable()).containsOnlyKeys("a.service", "b.service");
        assertThat(d.unschedulable().get("a.service")).isEqualTo("MachineOf forms a cycle among a.service, b.service");
        assertThat(d.place()).containsOnlyKeys("c.service");
    }

    @Test
    void leaderIsPlacedWhereItsFollowersFitToo() {
        List<Machine> machines = List.of(machine("m1"), machine("m2", "disk=ssd"));
        List<Job> jobs = List.of(job("app.service"), job("app-data.service", "MachineOf=app.service",
                "MachineMetadata=disk=ssd"), job("z.service", "MachineID=m2"));
        // m2 already has a unit, so app alone would go to m1; its follower needs disk=ssd.
        Decisions d = schedule(machines, jobs);
        assertThat(d.place()).containsEntry("app.service", "m2").containsEntry("app-data.service", "m2");
    }

    @Test
    void groupResourcesAreSummed() {
        List<Machine> machines = List.of(machine("m1", capacity("1", "0")), machine("m2", capacity("3", "0")));
        List<Job> jobs = List.of(job("app.service", "CPU=1"), job("side.service", "MachineOf=app.service", "CPU=1"));
        Decisions d = schedule(machines, jobs);
        assertThat(d.place()).containsExactly(Map.entry("app.service", "m2"), Map.entry("side.service", "m2"));
    }

    @Test
    void whenTheGroupFitsNowhereTheLeaderIsPlacedAloneAndTheFollowerSaysWhy() {
        List<Machine> machines = List.of(machine("m1"));
        List<Job> jobs = List.of(job("app.service"), job("app-data.service", "MachineOf=app.service",
                "MachineMetadata=disk=ssd"));
        Decisions d = schedule(machines, jobs);
        assertThat(d.place()).containsExactly(Map.entry("app.service", "m1"));
        assertThat(d.unschedulable()).containsExactly(Map.entry("app-data.service",
                "cannot join MachineOf unit app.service on machine m1: MachineMetadata rules it out"));
    }

    @Test
    void followersMoveWithTheirLeaderWhenItsMachineIsLost() {
        List<Machine> after = List.of(machine("m2"), machine("m3"));
        List<Job> jobs = List.of(job("a.service"), job("b.service", "MachineOf=a.service"),
                job("c.service", "MachineOf=b.service"), job("x.service"));
        Map<String, String> current = Map.of("a.service", "m1", "b.service", "m1", "c.service", "m1", "x.service", "m2");
        Decisions d = scheduler.schedule(after, jobs, current);
        assertThat(d.place()).containsExactly(Map.entry("a.service", "m3"), Map.entry("b.service", "m3"),
                Map.entry("c.service", "m3"));
        assertThat(d.unschedule()).isEmpty();
    }

    @Test
    void followersMoveWhenTheirLeaderStopsBeingEligible() {
        List<Machine> machines = List.of(machine("m1", "disk=hdd"), machine("m2", "disk=ssd"));
        List<Job> jobs = List.of(job("a.service", "MachineMetadata=disk=ssd"), job("b.service", "MachineOf=a.service"));
        Decisions d = scheduler.schedule(machines, jobs, Map.of("a.service", "m1", "b.service", "m1"));
        assertThat(d.place()).containsExactly(Map.entry("a.service", "m2"), Map.entry("b.service", "m2"));
    }

    @Test
    void followerLeavesWithItsLeaderEvenWhenNothingCanBePlaced() {
        List<Job> jobs = List.of(job("a.service", "MachineID=m1"), job("b.service", "MachineOf=a.service"));
        Decisions d = scheduler.schedule(List.of(machine("m2")), jobs, Map.of("a.service", "m1", "b.service", "m1"));
        assertThat(d.unschedule()).containsExactly("a.service", "b.service");
        assertThat(d.unschedulable()).containsOnlyKeys("a.service", "b.service");
    }

    @Test
    void keptGroupsStayPut() {
        List<Job> jobs = List.of(job("a.service"), job("b.service", "MachineOf=a.service"));
        Map<String, String> current = Map.of("a.service", "m2", "b.service", "m2");
        Decisions d = scheduler.schedule(twoMachines, jobs, current);
        assertThat(d.isEmpty()).isTrue();
        assertThat(apply(current, d)).isEqualTo(current);
    }
}
