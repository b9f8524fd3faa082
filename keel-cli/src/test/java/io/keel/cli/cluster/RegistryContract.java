package io.keel.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.options.PutOption;
import io.keel.cluster.registry.ApplyResult;
import io.keel.cluster.registry.ClusterView;
import io.keel.cluster.registry.Decision;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.LeaderTerm;
import io.keel.cluster.registry.MachineRecord;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.RegistryException;
import io.keel.cluster.registry.UnitRecord;
import io.keel.cluster.registry.Versioned;
import io.keel.cluster.unit.UnitFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The key layout and its compare-and-swap rules, on the store under test. */
public interface RegistryContract extends ClusterFixture {

    String SERVICE = "[Service]\nExecStart=/bin/true\n";

    private long grant() {
        return Registry.await(client().getLeaseClient().grant(60)).getID();
    }

    @Test
    default void aUnitIsCreatedOnceAndOnlyItsDesiredStateChanges() {
        UnitFile file = UnitFile.parse(SERVICE);
        UnitRecord record = new UnitRecord("a.service", file.text(), file.hash(), "inactive");
        assertThat(Registry.await(registry().createUnit(record))).isTrue();
        assertThat(Registry.await(registry().createUnit(record.withDesiredState("launched")))).isFalse();
        assertThat(unit("a.service").value().desiredState()).isEqualTo("inactive");

        Optional<Versioned<UnitRecord>> updated = Registry.await(
                registry().updateUnit("a.service", u -> u.withDesiredState("launched")));
        assertThat(updated.orElseThrow().value().desiredState()).isEqualTo("launched");
        assertThat(unit("a.service").value()).isEqualTo(record.withDesiredState("launched"));
        assertThat(Registry.await(registry().updateUnit("missing.service", u -> u))).isEmpty();
    }

    @Test
    default void destroyingAUnitRemovesItsScheduleInOneTransaction() throws Exception {
        submit("a.service", SERVICE, "launched");
        client().getKVClient().put(Keys.bytes(Keys.schedule("a.service")),
                Keys.bytes("{\"machineID\":\"m1\",\"unitHash\":\"x\"}")).get();
        assertThat(Registry.await(registry().destroyUnit("a.service"))).isTrue();
        assertThat(placements()).isEmpty();
        assertThat(Registry.await(registry().unit("a.service"))).isEmpty();
        assertThat(Registry.await(registry().destroyUnit("a.service"))).isFalse();
    }

    @Test
    default void aMachineIdIsRegisteredByOneLeaseAtATime() {
        MachineRecord machine = new MachineRecord("m1", "10.0.0.1", Map.of("rack", "r1"),
                new MachineRecord.Capacity(2000, 4L << 30), "test");
        long lease = grant();
        assertThat(Registry.await(registry().registerMachine(machine, lease))).isTrue();
        assertThat(Registry.await(registry().registerMachine(machine, grant()))).isFalse();
        MachineRecord moved = new MachineRecord("m1", "10.0.0.2", Map.of(), null, "test");
        assertThat(Registry.await(registry().registerMachine(moved, lease))).isTrue();
        List<Versioned<MachineRecord>> machines = Registry.await(registry().machines());
        assertThat(machines).hasSize(1);
        assertThat(machines.get(0).value().publicIP()).isEqualTo("10.0.0.2");
        assertThat(machines.get(0).lease()).isEqualTo(lease);
        Registry.await(client().getLeaseClient().revoke(lease));
        assertThat(Registry.await(registry().machines())).isEmpty();
    }

    @Test
    default void anUnknownLayoutVersionIsRefused() throws Exception {
        Registry.await(registry().ensureLayout());
        Registry.await(registry().ensureLayout());
        client().getKVClient().put(Keys.bytes(Keys.VERSION), Keys.bytes("7")).get();
        assertThatThrownBy(() -> Registry.await(registry().ensureLayout()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("layout version '7'");
    }

    @Test
    default void onlyOneCandidateWinsTheElection() {
        long a = grant();
        long b = grant();
        Optional<LeaderTerm> first = Registry.await(registry().campaign("a", a));
        assertThat(first).isPresent();
        assertThat(Registry.await(registry().campaign("b", b))).isEmpty();
        assertThat(Registry.await(registry().campaign("a", a))).contains(first.get());
        Registry.await(client().getLeaseClient().revoke(a));
        Optional<LeaderTerm> second = Registry.await(registry().campaign("b", b));
        assertThat(second).isPresent();
        assertThat(second.get().createRevision()).isGreaterThan(first.get().createRevision());
    }

    @Test
    default void aDeposedLeaderCannotOverwriteANewerDecision() throws Exception {
        submit("a.service", SERVICE, "launched");
        long l1 = grant();
        long l2 = grant();
        Registry.await(registry().registerMachine(new MachineRecord("m1", "", Map.of(), null, ""), grant()));
        Registry.await(registry().registerMachine(new MachineRecord("m2", "", Map.of(), null, ""), grant()));
        ClusterView view = Registry.await(registry().load());
        LeaderTerm old = Registry.await(registry().campaign("old", l1)).orElseThrow();

        // the old leader's lease expires (revoked here) and a new leader places the unit on m2
        Registry.await(client().getLeaseClient().revoke(l1));
        LeaderTerm fresh = Registry.await(registry().campaign("new", l2)).orElseThrow();
        Decision toM2 = place(view, "a.service", "m2");
        assertThat(Registry.await(registry().apply(fresh, List.of(toM2), 128)).applied()).isEqualTo(1);

        // the old leader, deciding from its stale view, tries to put it on m1: refused
        ApplyResult stale = Registry.await(registry().apply(old, List.of(place(view, "a.service", "m1")), 128));
        assertThat(stale.deposed()).isTrue();
        assertThat(stale.applied()).isZero();
        assertThat(placements()).containsExactly(Map.entry("a.service", "m2"));

        // even with a decision whose revisions are current, the old term writes nothing
        ClusterView now = Registry.await(registry().load());
        Decision current = new Decision.Place("a.service", "m1", unit("a.service").value().hash(),
                now.units().get("a.service").modRevision(), now.machines().get("m1").modRevision(),
                now.schedule().get("a.service").modRevision(), 0);
        assertThat(Registry.await(registry().apply(old, List.of(current), 128)).deposed()).isTrue();
        assertThat(placements()).containsExactly(Map.entry("a.service", "m2"));
    }

    @Test
    default void aStaleDecisionFailsAloneAndTheRestOfItsBatchIsWritten() {
        long lease = grant();
        Registry.await(registry().registerMachine(new MachineRecord("m1", "", Map.of(), null, ""), grant()));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            names.add("u" + i + ".service");
            submit(names.get(i), SERVICE, "launched");
        }
        ClusterView view = Registry.await(registry().load());
        LeaderTerm term = Registry.await(registry().campaign("e", lease)).orElseThrow();
        setDesiredState("u7.service", "loaded");
        List<Decision> decisions = names.stream().map(n -> place(view, n, "m1")).toList();

        ApplyResult result = Registry.await(registry().apply(term, decisions, 128));

        assertThat(result.applied()).isEqualTo(99);
        assertThat(result.conflicts()).extracting(Decision::unit).containsExactly("u7.service");
        assertThat(result.deposed()).isFalse();
        assertThat(placements()).hasSize(99).doesNotContainKey("u7.service");
    }

    @Test
    default void unitStatesLiveOnTheAgentsLease() {
        long lease = grant();
        Registry.await(registry().reportState(new io.keel.cluster.registry.UnitStateRecord("a.service", "m1", "h",
                "launched", "loaded", "active", "running"), lease));
        ClusterView view = Registry.await(registry().load());
        assertThat(view.states("a.service")).containsOnlyKeys("m1");
        assertThat(view.states("a.service").get("m1").lease()).isEqualTo(lease);
        Registry.await(client().getLeaseClient().revoke(lease));
        assertThat(Registry.await(registry().load()).states("a.service")).isEmpty();
    }

    @Test
    default void aMultiPageReadReportsTheRevisionItWasReadAt() throws Exception {
        int count = Registry.RANGE_PAGE_DEFAULT + 100;
        UnitFile file = UnitFile.parse(SERVICE);
        for (int batch = 0; batch < count; batch += 100) {
            List<java.util.concurrent.CompletableFuture<Boolean>> created = new ArrayList<>();
            for (int i = batch; i < Math.min(count, batch + 100); i++) {
                created.add(registry().createUnit(new UnitRecord(String.format("u%05d.service", i), file.text(),
                        file.hash(), "inactive")));
            }
            java.util.concurrent.CompletableFuture.allOf(created.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get();
        }
        long snapshot = revision();
        submit("later.service", SERVICE, "inactive");
        setDesiredState("u00000.service", "loaded");

        Registry.RangePage page = Registry.await(registry().rangeAll(Keys.UNITS, snapshot));

        // a watch started after this read must start right after the revision it was read at
        assertThat(page.revision()).isEqualTo(snapshot);
        assertThat(page.kvs()).hasSize(count);
        assertThat(Registry.await(registry().load()).revision()).isEqualTo(revision());
    }

    private Decision place(ClusterView view, String unit, String machine) {
        var placed = view.schedule().get(unit);
        return new Decision.Place(unit, machine, view.units().get(unit).value().hash(),
                view.units().get(unit).modRevision(), view.machines().get(machine).modRevision(),
                placed == null ? 0 : placed.modRevision(), 0);
    }
}
