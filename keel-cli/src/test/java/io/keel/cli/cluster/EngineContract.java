package io.keel.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cluster.engine.Engine;
import io.keel.cluster.engine.EngineState;
import io.keel.cluster.engine.ReconcileReport;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import io.etcd.jetcd.watch.WatchEvent;
import io.keel.testkit.Await;
import io.keel.testkit.cluster.SimulatedCluster;
import io.keel.testkit.cluster.SimulatedMachine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Leader election and reconciling with simulated machines, on the store under test. */
public interface EngineContract extends ClusterFixture {

    Duration WAIT = Duration.ofSeconds(30);
    List<String> JOB_STATES = List.of("inactive", "loaded", "launched");

    private static String service(String xfleet) {
        return "[Unit]\nDescription=test\n\n[Service]\nExecStart=/bin/sleep 1000\n"
                + (xfleet.isEmpty() ? "" : "\n[X-Fleet]\n" + xfleet + "\n");
    }

    private SimulatedCluster machines(String... ids) {
        SimulatedCluster cluster = simulated();
        for (String id : ids) {
            cluster.add(SimulatedMachine.of(id, Map.of("rack", "r-" + id)));
        }
        return cluster;
    }

    private void awaitLaunched(SimulatedCluster cluster, Set<String> units) {
        Await.until(WAIT, units + " launched where they are scheduled", () -> {
            Map<String, String> placed = placements();
            return units.stream().allMatch(u -> placed.containsKey(u)
                    && "launched".equals(cluster.reportedState(placed.get(u), u)));
        });
    }

    private static void assertOnlyAdjacentSteps(SimulatedCluster cluster) {
        for (SimulatedCluster.Transition t : cluster.transitions()) {
            int distance = Math.abs(JOB_STATES.indexOf(t.from()) - JOB_STATES.indexOf(t.to()));
            assertThat(distance).as("step %s", t).isLessThanOrEqualTo(1);
        }
    }

    @Test
    default void oneEngineLeadsAndAnotherTakesOverWhenItStops() {
        List<Engine> engines = List.of(startEngine("e1"), startEngine("e2"), startEngine("e3"));
        Await.until(WAIT, "one engine leads", () -> engines.stream().filter(Engine::isLeader).count() == 1);
        Engine leader = engines.stream().filter(Engine::isLeader).findFirst().orElseThrow();
        assertThat(Registry.await(registry().leader()).orElseThrow().value()).isEqualTo(leader.id());

        leader.close();

        Await.until(WAIT, "another engine leads", () -> engines.stream()
                .filter(e -> e != leader).filter(Engine::isLeader).count() == 1);
        assertThat(leader.state()).isEqualTo(EngineState.CLOSED);
    }

    @Test
    default void submittedUnitsArePlacedAndLaunchedOneStepAtATime() {
        SimulatedCluster cluster = machines("m1", "m2", "m3");
        startEngine("e1");
        Set<String> units = Set.of("a.service", "b.service", "c.service", "d.service", "e.service", "f.service");
        units.forEach(u -> submit(u, service(""), "launched"));

        awaitLaunched(cluster, units);

        Map<String, Long> perMachine = placements().values().stream()
                .collect(Collectors.groupingBy(m -> m, Collectors.counting()));
        assertThat(perMachine).containsOnlyKeys("m1", "m2", "m3").allSatisfy((m, n) -> assertThat(n).isEqualTo(2));
        assertOnlyAdjacentSteps(cluster);
        assertThat(cluster.transitions()).filteredOn(t -> t.unit().equals("a.service"))
                .extracting(SimulatedCluster.Transition::to).containsExactly("loaded", "launched");
    }

    @Test
    default void stopAndUnloadWalkBackOneStepAtATime() {
        SimulatedCluster cluster = machines("m1");
        startEngine("e1");
        submit("a.service", service(""), "launched");
        awaitLaunched(cluster, Set.of("a.service"));

        setDesiredState("a.service", "loaded");
        Await.until(WAIT, "a.service loaded", () -> "loaded".equals(cluster.reportedState("m1", "a.service")));
        assertThat(placements()).containsKey("a.service");

        setDesiredState("a.service", "inactive");
        Await.until(WAIT, "a.service unscheduled and inactive", () -> !placements().containsKey("a.service")
                && "inactive".equals(cluster.reportedState("m1", "a.service")));
        assertThat(cluster.transitions()).extracting(t -> t.from() + "->" + t.to())
                .containsExactly("inactive->loaded", "loaded->launched", "launched->loaded", "loaded->inactive");
    }

    @Test
    default void conflictsKeepAServiceAndItsBackupApart() {
        machines("m1", "m2");
        startEngine("e1");
        submit("db.service", service("Conflicts=db-backup.service"), "launched");
        submit("db-backup.service", service("Conflicts=db.service"), "launched");
        submit("other.service", service(""), "launched");

        Await.until(WAIT, "all three placed", () -> placements().size() == 3);
        Map<String, String> placed = placements();
        assertThat(placed.get("db.service")).isNotEqualTo(placed.get("db-backup.service"));
    }

    @Test
    default void aUnitThatCannotBePlacedWaitsWithAReasonUntilAMachineFits() {
        SimulatedCluster cluster = machines("m1");
        startEngine("e1");
        submit("db.service", service("MachineMetadata=role=db"), "launched");

        Await.until(WAIT, "db.service is unschedulable", () -> unschedulable().containsKey("db.service"));
        assertThat(unschedulable().get("db.service")).contains("MachineMetadata");
        assertThat(placements()).isEmpty();

        cluster.add(SimulatedMachine.of("db1", Map.of("role", "db")));

        Await.until(WAIT, "db.service placed on db1", () -> "db1".equals(placements().get("db.service")));
        Await.until(WAIT, "its reason cleared", () -> unschedulable().isEmpty());
    }

    @Test
    default void machineLossReschedulesItsUnitsWithinOneReconcile() {
        SimulatedCluster cluster = machines("m1", "m2", "m3");
        Engine engine = startEngine("e1");
        List<ReconcileReport> reports = new CopyOnWriteArrayList<>();
        engine.onReconcile(reports::add);
        List<String> units = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            units.add("u" + i + ".service");
            submit(units.get(i), service(""), "launched");
        }
        awaitLaunched(cluster, Set.copyOf(units));
        Set<String> onM1 = placements().entrySet().stream().filter(e -> e.getValue().equals("m1"))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(onM1).hasSize(3);

        AtomicLong expiredAt = new AtomicLong();
        closeAfter(client().getWatchClient().watch(Keys.bytes(Keys.machine("m1")), response -> response.getEvents()
                .stream().filter(e -> e.getEventType() == WatchEvent.EventType.DELETE)
                .forEach(e -> expiredAt.set(e.getKeyValue().getModRevision()))));

        cluster.crash("m1");
        Await.until(WAIT, "m1's lease expires", () -> expiredAt.get() > 0);
        Await.until(WAIT, "m1's units placed elsewhere", () -> placements().entrySet().stream()
                .filter(e -> onM1.contains(e.getKey())).noneMatch(e -> e.getValue().equals("m1")));

        // the first reconcile that saw the machine gone moved all of its units
        Await.until(WAIT, "the engine reports the reconcile", () -> reports.stream()
                .anyMatch(r -> r.viewRevision() >= expiredAt.get()));
        ReconcileReport first = reports.stream()
                .filter(r -> r.viewRevision() >= expiredAt.get())
                .findFirst().orElseThrow();
        assertThat(first.placed()).isEqualTo(3);
        assertThat(first.applied()).isEqualTo(3);
        assertThat(first.conflicts()).isZero();
        awaitLaunched(cluster, Set.copyOf(units));
        assertOnlyAdjacentSteps(cluster);
    }

    @Test
    default void globalUnitsRunOnEveryMatchingMachineAndStopExistingWhereOneDies() {
        SimulatedCluster cluster = simulated();
        cluster.add(SimulatedMachine.of("m1", Map.of("role", "web")));
        cluster.add(SimulatedMachine.of("m2", Map.of("role", "web")));
        cluster.add(SimulatedMachine.of("m3", Map.of("role", "db")));
        startEngine("e1");
        submit("log.service", service("Global=true\nMachineMetadata=role=web"), "launched");

        Await.until(WAIT, "log.service launched on m1 and m2", () ->
                "launched".equals(cluster.reportedState("m1", "log.service"))
                        && "launched".equals(cluster.reportedState("m2", "log.service")));
        assertThat(cluster.reportedState("m3", "log.service")).isEqualTo("inactive");
        assertThat(placements()).isEmpty();

        cluster.crash("m1");
        Await.until(WAIT, "m1's state keys expire with its lease", () ->
                Registry.await(registry().load()).states("log.service").keySet().equals(Set.of("m2")));
        assertThat(placements()).isEmpty();
    }

    @Test
    default void aDeposedEngineStopsLeadingAndItsSuccessorDecides() throws Exception {
        machines("m1", "m2");
        Engine first = startEngine("e1");
        Await.until(WAIT, "e1 leads", first::isLeader);
        Engine second = startEngine("e2");
        long firstLease = Registry.await(registry().leader()).orElseThrow().lease();

        // e1's lease is revoked behind its back, as if the store expired it during a pause
        Registry.await(client().getLeaseClient().revoke(firstLease));

        Await.until(WAIT, "e2 leads", second::isLeader);
        Await.until(WAIT, "e1 is a candidate again", () -> first.state() == EngineState.CANDIDATE);
        ReconcileReport fromFirst = first.reconcileNow().get();
        assertThat(fromFirst.decisions()).isZero();

        submit("a.service", service(""), "launched");
        Await.until(WAIT, "a.service placed by e2", () -> placements().containsKey("a.service"));
        assertThat(Registry.await(registry().leader()).orElseThrow().value()).isEqualTo("e2");
    }
}
