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

class SchedulerConstraintsTest {

    private final Scheduler scheduler = new Scheduler();

    @Test
    void unconstrainedUnitsGoToTheLeastLoadedMachineTiesByMachineId() {
        Decisions d = schedule(List.of(machine("m2"), machine("m1")),
                List.of(job("a.service"), job("b.service"), job("c.service"), job("d.service"), job("e.service")));
        assertThat(d.place()).containsExactly(Map.entry("a.service", "m1"), Map.entry("b.service", "m2"),
                Map.entry("c.service", "m1"), Map.entry("d.service", "m2"), Map.entry("e.service", "m1"));
        assertThat(d.unschedule()).isEmpty();
        assertThat(d.unschedulable()).isEmpty();
    }

    @Test
    void noMachinesMeansUnschedulable() {
        Decisions d = schedule(List.of(), List.of(job("a.service")));
        assertThat(d.unschedulable()).containsExactly(Map.entry("a.service", "no machines in the cluster"));
    }

    @Test
    void machineIdFullOrShort() {
        List<Machine> machines = List.of(machine("0123456789abcdef"), machine("fedcba9876543210"));
        Decisions d = schedule(machines, List.of(
                job("full.service", "MachineID=fedcba9876543210"),
                job("short.service", "MachineID=fedcba98"),
                job("other.service")));
        assertThat(d.place()).containsEntry("full.service", "fedcba9876543210")
                .containsEntry("short.service", "fedcba9876543210")
                .containsEntry("other.service", "0123456789abcdef");
    }

    @Test
    void machineIdMatchingNothingIsUnschedulable() {
        Decisions d = schedule(List.of(machine("m1")), List.of(job("a.service", "MachineID=m9")));
        assertThat(d.unschedulable()).containsExactly(Map.entry("a.service", "no machine matches MachineID=m9"));
    }

    @Test
    void machineMetadataSameKeyOrDifferentKeysAnd() {
        List<Machine> machines = List.of(
                machine("m1", "region=us-east", "disk=hdd"),
                machine("m2", "region=us-west", "disk=ssd"),
                machine("m3", "region=eu", "disk=ssd"));
        Decisions d = schedule(machines, List.of(
                job("us.service", "MachineMetadata=region=us-east", "MachineMetadata=region=us-west",
                        "MachineMetadata=disk=ssd"),
                job("eu.service", "MachineMetadata=region=eu")));
        assertThat(d.place()).containsEntry("us.service", "m2").containsEntry("eu.service", "m3");
    }

    @Test
    void machineMetadataMatchingNothingNamesTheRequirement() {
        Decisions d = schedule(List.of(machine("m1", "disk=hdd")), List.of(job("a.service", "MachineMetadata=disk=ssd")));
        assertThat(d.unschedulable()).containsExactly(Map.entry("a.service", "no machine matches MachineMetadata disk=ssd"));
    }

    @Test
    void conflictingInstancesLandOnDifferentMachines() {
        List<Machine> machines = List.of(machine("m1"), machine("m2"), machine("m3"));
        List<Job> jobs = List.of(
                job("web@1.service", "Conflicts=web@*.service"),
                job("web@2.service", "Conflicts=web@*.service"),
                job("web@3.service", "Conflicts=web@*.service"),
                job("web@4.service", "Conflicts=web@*.service"),
                job("other.service"),
                job("more.service"));
        Decisions d = schedule(machines, jobs);
        assertThat(List.of("web@1.service", "web@2.service", "web@3.service"))
                .extracting(d.place()::get).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(d.unschedulable())
                .containsExactly(Map.entry("web@4.service", "no machine can take it: Conflicts=web@*.service rules out 3 of 3 machines"));
        assertThat(PlacementChecker.violations(machines, jobs, d.place())).isEmpty();
    }

    @Test
    void conflictsAreCheckedInTheOtherDirectionToo() {
        // b has no Conflicts of its own, but a (already on m1) conflicts with b: b must not join it.
        List<Machine> machines = List.of(machine("m1", "disk=ssd"), machine("m2"));
        List<Job> jobs = List.of(job("a.service", "Conflicts=b.service"), job("b.service", "MachineMetadata=disk=ssd"));
        Decisions d = scheduler.schedule(machines, jobs, Map.of("a.service", "m1"));
        assertThat(d.place()).isEmpty();
        assertThat(d.unschedulable()).containsExactly(
                Map.entry("b.service", "no machine can take it: Conflicts (of units already there) rules out 1 of 1 machine"));
    }

    @Test
    void unitWithConflictsAvoidsMachinesHoldingMatchingUnits() {
        List<Machine> machines = List.of(machine("m1"), machine("m2"));
        List<Job> jobs = List.of(job("a.service", "Conflicts=b*"), job("b1.service"), job("b2.service"));
        Decisions d = scheduler.schedule(machines, jobs, Map.of("b1.service", "m1", "b2.service", "m2"));
        assertThat(d.unschedulable()).containsOnlyKeys("a.service");
        assertThat(d.unschedulable().get("a.service")).contains("Conflicts=b* rules out 2 of 2 machines");
    }

    @Test
    void twoConflictingUnitsFoundTogetherTheFirstByNameStays() {
        List<Machine> machines = List.of(machine("m1"), machine("m2"));
        List<Job> jobs = List.of(job("a.service", "Conflicts=b.service"), job("b.service"));
        Decisions d = scheduler.schedule(machines, jobs, Map.of("a.service", "m1", "b.service", "m1"));
        assertThat(d.place()).containsExactly(Map.entry("b.service", "m2"));
        assertThat(d.unschedule()).isEmpty();
    }

    @Test
    void aUnitDoesNotConflictWithItself() {
        Decisions d = schedule(List.of(machine("m1")), List.of(job("web@1.service", "Conflicts=web@*.service")));
        assertThat(d.place()).containsExactly(Map.entry("web@1.service", "m1"));
    }

    @Test
    void replacedUnitIsNotPlacedWithItsReplacer() {
        List<Machine> machines = List.of(machine("m1"), machine("m2"));
        List<Job> jobs = List.of(job("new.service", "Replaces=old.service"), job("old.service"));
        Decisions d = scheduler.schedule(machines, jobs, Map.of("new.service", "m1"));
        assertThat(d.place()).containsExactly(Map.entry("old.service", "m2"));
    }

    @Test
    void replacerPrefersAMachineWhereNothingHasToMove() {
        List<Machine> machines = List.of(machine("m1"), machine("m2"), machine("m3"));
        List<Job> jobs = List.of(job("new.service", "Replaces=old.service"), job("old.service"),
                job("x.service"), job("y.service"));
        // m1 holds old (1 unit), m2 holds x and y (2 units), m3 is empty and least loaded.
        Decisions d = scheduler.schedule(machines, jobs,
                Map.of("old.service", "m1", "x.service", "m2", "y.service", "m2"));
        assertThat(d.place()).containsExactly(Map.entry("new.service", "m3"));
    }

    @Test
    void replacerThatCanOnlyGoWhereTheReplacedUnitIsMovesIt() {
        List<Machine> machines = List.of(machine("m1"), machine("m2"));
        List<Job> jobs = List.of(job("new.service", "Replaces=old.service", "MachineID=m1"), job("old.service"));
        Decisions d = scheduler.schedule(machines, jobs, Map.of("old.service", "m1"));
        assertThat(d.place()).containsExactly(Map.entry("new.service", "m1"), Map.entry("old.service", "m2"));
        assertThat(d.unschedule()).isEmpty();
    }

    @Test
    void replacedUnitFoundWithItsReplacerIsTheOneThatMoves() {
        List<Machine> machines = List.of(machine("m1"), machine("m2"));
        List<Job> jobs = List.of(job("a-new.service", "Replaces=z-old.service"), job("z-old.service"));
        Decisions d = scheduler.schedule(machines, jobs, Map.of("a-new.service", "m1", "z-old.service", "m1"));
        assertThat(d.place()).containsExactly(Map.entry("z-old.service", "m2"));
    }

    @Test
    void replacedUnitWithNowhereElseToGoWaits() {
        List<Machine> machines = List.of(machine("m1"));
        List<Job> jobs = List.of(job("new.service", "Replaces=old.service"), job("old.service"));
        Decisions d = scheduler.schedule(machines, jobs, Map.of("old.service", "m1"));
        assertThat(d.place()).containsExactly(Map.entry("new.service", "m1"));
        assertThat(d.unschedule()).containsExactly("old.service");
        assertThat(d.unschedulable().get("old.service")).contains("Replaces (a unit replacing it is there)");
    }

    @Test
    void circularReplacesIsIgnoredAsFleetDoes() {
        List<Machine> machines = List.of(machine("m1"));
        List<Job> jobs = List.of(job("a.service", "Replaces=b.service"), job("b.service", "Replaces=a.service"));
        Decisions d = schedule(machines, jobs);
        assertThat(d.place()).containsOnlyKeys("a.service", "b.service");
    }

    @Test
    void replacesByGlob() {
        List<Machine> machines = List.of(machine("m1"), machine("m2"));
        List<Job> jobs = List.of(job("v2.service", "Replaces=v1*", "MachineID=m1"), job("v1a.service"), job("v1b.service"));
        Decisions d = scheduler.schedule(machines, jobs, Map.of("v1a.service", "m1", "v1b.service", "m1"));
        assertThat(d.place()).containsExactly(Map.entry("v1a.service", "m2"), Map.entry("v1b.service", "m2"),
                Map.entry("v2.service", "m1"));
    }

    @Test
    void globalUnitsAreNotPlacedButReportEligibleMachines() {
        List<Machine> machines = List.of(machine("m2", "role=edge"), machine("m1", "role=edge"), machine("m3", "role=db"));
        Job global = job("agent.service", "Global=true", "MachineMetadata=role=edge");
        Decisions d = scheduler.schedule(machines, List.of(global), Map.of("agent.service", "m3"));
        assertThat(d.place()).isEmpty();
        assertThat(d.unschedulable()).isEmpty();
        assertThat(d.unschedule()).containsExactly("agent.service");
        assertThat(scheduler.eligibleMachines(global, machines)).containsExactly("m1", "m2");
        assertThat(scheduler.eligibleMachines(job("all.service", "Global=true"), machines))
                .containsExactly("m1", "m2", "m3");
    }

    @Test
    void globalUnitThatDoesNotFitAMachineIsNotEligibleThere() {
        List<Machine> machines = List.of(machine("big", capacity("4", "8G")), machine("small", capacity("1", "1G")));
        Job global = job("agent.service", "Global=true", "CPU=2");
        assertThat(scheduler.eligibleMachines(global, machines)).containsExactly("big");
    }

    @Test
    void globalUnitsReserveTheirResourcesFirst() {
        List<Machine> machines = List.of(machine("m1", capacity("2", "0")));
        List<Job> jobs = List.of(job("agent.service", "Global=true", "CPU=1500m"), job("app.service", "CPU=1"));
        Decisions d = schedule(machines, jobs);
        assertThat(d.unschedulable()).containsExactly(
                Map.entry("app.service", "no machine can take it: free capacity for CPU=1 rules out 1 of 1 machine"));
    }

    @Test
    void resourceRequestsAreSummedAgainstCapacity() {
        List<Machine> machines = List.of(machine("m1", capacity("1", "1G")), machine("m2", capacity("1", "1G")));
        List<Job> jobs = List.of(job("a.service", "CPU=600m"), job("b.service", "CPU=600m"),
                job("c.service", "CPU=600m"), job("d.service", "Memory=600M"), job("e.service", "Memory=600M"),
                job("f.service", "Memory=600M"));
        Decisions d = schedule(machines, jobs);
        assertThat(d.unschedulable()).containsOnlyKeys("c.service", "f.service");
        assertThat(d.unschedulable().get("c.service")).isEqualTo(
                "no machine can take it: free capacity for CPU=600m rules out 2 of 2 machines");
        assertThat(d.unschedulable().get("f.service")).contains("Memory=600M");
        assertThat(PlacementChecker.violations(machines, jobs, d.place())).isEmpty();
    }

    @Test
    void zeroCapacityMeansUnlimited() {
        List<Machine> machines = List.of(machine("m1", new Resources(0, 0)));
        Decisions d = schedule(machines, List.of(job("a.service", "CPU=64", "Memory=1T")));
        assertThat(d.place()).containsExactly(Map.entry("a.service", "m1"));
    }

    @Test
    void leastLoadedBreaksUnitCountTiesByRequestedShare() {
        List<Machine> machines = List.of(machine("m1", capacity("4", "0")), machine("m2", capacity("4", "0")));
        List<Job> jobs = List.of(job("a.service", "CPU=3"), job("b.service", "CPU=1"), job("c.service"));
        Decisions d = schedule(machines, jobs);
        // a -> m1 (tie by id), b -> m2 (fewer units), c: both hold one unit, m2 has the smaller share.
        assertThat(d.place()).containsExactly(Map.entry("a.service", "m1"), Map.entry("b.service", "m2"),
                Map.entry("c.service", "m2"));
    }

    @Test
    void pinnedUnitsArePlacedBeforeFlexibleOnes() {
        List<Machine> machines = List.of(machine("m1", capacity("1", "0")), machine("m2", capacity("1", "0")));
        // 'a' sorts first and would take m1, leaving no room for 'z' which may only run on m1.
        List<Job> jobs = List.of(job("a.service", "CPU=1"), job("z.service", "CPU=1", "MachineID=m1"));
        Decisions d = schedule(machines, jobs);
        assertThat(d.place()).containsExactly(Map.entry("a.service", "m2"), Map.entry("z.service", "m1"));
    }

    @Test
    void inactiveUnitsAreNotPlacedAndAreTakenOff() {
        List<Job> jobs = List.of(job("a.service", JobState.INACTIVE), job("b.service", JobState.LOADED));
        Decisions d = scheduler.schedule(List.of(machine("m1")), jobs, Map.of("a.service", "m1"));
        assertThat(d.place()).containsExactly(Map.entry("b.service", "m1"));
        assertThat(d.unschedule()).containsExactly("a.service");
        assertThat(d.unschedulable()).isEmpty();
    }

    @Test
    void aTemplateIsNeverPlaced() {
        Decisions d = scheduler.schedule(List.of(machine("m1")), List.of(job("web@.service"), job("web@1.service")),
                Map.of("web@.service", "m1"));
        assertThat(d.place()).containsExactly(Map.entry("web@1.service", "m1"));
        assertThat(d.unschedule()).containsExactly("web@.service");
        assertThat(d.unschedulable()).containsExactly(Map.entry("web@.service",
                "a template never runs itself; start an instance such as web@1.service"));
    }

    @Test
    void placementsOfDestroyedUnitsAreRemoved() {
        Decisions d = scheduler.schedule(List.of(machine("m1")), List.of(), Map.of("gone.service", "m1"));
        assertThat(d.unschedule()).containsExactly("gone.service");
    }

    @Test
    void everyConstraintTogether() {
        List<Machine> machines = List.of(
                machine("m1", capacity("2", "4G"), "rack=a", "disk=ssd"),
                machine("m2", capacity("2", "4G"), "rack=a", "disk=hdd"),
                machine("m3", capacity("2", "4G"), "rack=b", "disk=ssd"),
                machine("m4", capacity("2", "4G"), "rack=b", "disk=hdd"));
        List<Job> jobs = List.of(
                job("db@1.service", "Conflicts=db@*.service", "MachineMetadata=disk=ssd", "CPU=1", "Memory=2G",
                        "Spread=rack"),
                job("db@2.service", "Conflicts=db@*.service", "MachineMetadata=disk=ssd", "CPU=1", "Memory=2G",
                        "Spread=rack"),
                job("db-backup@1.service", "MachineOf=db@1.service", "CPU=500m"),
                job("cache.service", "Conflicts=db*", "Memory=3G"),
                job("pinned.service", "MachineID=m4", "CPU=2"),
                job("new.service", "Replaces=old.service"),
                job("old.service"),
                job("edge.service", "Global=true", "MachineMetadata=disk=hdd", "Memory=512M"));
        Decisions d = schedule(machines, jobs);
        assertThat(d.unschedulable()).isEmpty();
        Map<String, String> after = apply(Map.of(), d);
        assertThat(PlacementChecker.violations(machines, jobs, after)).isEmpty();
        assertThat(after).containsEntry("pinned.service", "m4").doesNotContainKey("edge.service");
        assertThat(after.get("db-backup@1.service")).isEqualTo(after.get("db@1.service"));
        assertThat(Map.of("m1", "a", "m3", "b").get(after.get("db@1.service")))
                .isNotEqualTo(Map.of("m1", "a", "m3", "b").get(after.get("db@2.service")));
        assertThat(after.get("cache.service")).isIn("m2");
    }
}
