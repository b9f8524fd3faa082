package io.keel.cluster.engine;

import static io.keel.cluster.registry.KeyValues.kv;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cluster.registry.ClusterView;
import io.keel.cluster.registry.Decision;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.MachineRecord;
import io.keel.cluster.registry.ScheduleRecord;
import io.keel.cluster.registry.UnitRecord;
import io.keel.cluster.schedule.Scheduler;
import io.keel.cluster.unit.UnitFile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reconciler pins each scheduler decision to the revisions it saw; no store involved. */
class ReconcilerTest {

    private final ClusterView view = new ClusterView();
    private final Reconciler reconciler = new Reconciler(new Scheduler());
    private long revision = 10;

    private void machine(String id, Map<String, String> metadata) {
        view.put(kv(Keys.machine(id), new MachineRecord(id, "", metadata, null, ""), ++revision));
    }

    private void unit(String name, String xfleet, String desired) {
        UnitFile file = UnitFile.parse("[Service]\nExecStart=/bin/true\n" + (xfleet.isEmpty() ? "" : "[X-Fleet]\n" + xfleet + "\n"));
        view.put(kv(Keys.unit(name), new UnitRecord(name, file.text(), file.hash(), desired), ++revision));
    }

    private void scheduled(String name, String machine) {
        view.put(kv(Keys.schedule(name), new ScheduleRecord(machine, "h"), ++revision));
    }

    private long rev(String key) {
        return switch (Keys.parse(key).orElseThrow()) {
            case Keys.MachineRef m -> view.machines().get(m.id()).modRevision();
            case Keys.UnitRef u -> view.units().get(u.name()).modRevision();
            case Keys.ScheduleRef s -> view.schedule().get(s.name()).modRevision();
            case Keys.UnschedulableRef u -> view.unschedulable().get(u.name()).modRevision();
            default -> throw new IllegalArgumentException(key);
        };
    }

    @Test
    void aNewUnitIsPlacedWithTheRevisionsOfItsUnitAndMachine() {
        machine("m1", Map.of());
        unit("a.service", "", "launched");

        Reconciler.Plan plan = reconciler.plan(view);

        assertThat(plan.decisions()).containsExactly(new Decision.Place("a.service", "m1",
                view.units().get("a.service").value().hash(), rev("/keel/units/a.service"),
                rev("/keel/machines/m1"), 0, 0));
        assertThat(plan.viewRevision()).isEqualTo(revision);
    }

    @Test
    void aPlacedUnitStaysAndNothingIsWritten() {
        machine("m1", Map.of());
        unit("a.service", "", "launched");
        scheduled("a.service", "m1");
        assertThat(reconciler.plan(view).decisions()).isEmpty();
    }

    @Test
    void aUnitOnALostMachineMovesOrWaitsWithAReason() {
        machine("m1", Map.of("role", "web"));
        machine("m2", Map.of("role", "web"));
        unit("a.service", "MachineMetadata=role=web", "launched");
        unit("b.service", "MachineID=m1", "launched");
        scheduled("a.service", "m1");
        scheduled("b.service", "m1");
        view.delete(Keys.bytes(Keys.machine("m1")), ++revision);

        Reconciler.Plan plan = reconciler.plan(view);

        assertThat(plan.decisions()).hasSize(2);
        assertThat(plan.decisions().get(0)).isEqualTo(new Decision.Place("a.service", "m2",
                view.units().get("a.service").value().hash(), rev("/keel/units/a.service"), rev("/keel/machines/m2"),
                rev("/keel/schedule/a.service"), 0));
        Decision.Unschedule b = (Decision.Unschedule) plan.decisions().get(1);
        assertThat(b.unit()).isEqualTo("b.service");
        assertThat(b.scheduleRevision()).isEqualTo(rev("/keel/schedule/b.service"));
        assertThat(b.reason()).contains("MachineID");
    }

    @Test
    void aReasonIsWrittenOnceAndClearedWhenTheUnitIsPlacedOrGone() {
        unit("a.service", "MachineMetadata=role=db", "launched");
        Decision first = reconciler.plan(view).decisions().get(0);
        assertThat(first).isInstanceOf(Decision.MarkUnschedulable.class);
        String reason = ((Decision.MarkUnschedulable) first).reason();
        view.put(kv(Keys.unschedulable("a.service"), reason, ++revision, revision, 0));

        assertThat(reconciler.plan(view).decisions()).isEmpty();

        machine("db1", Map.of("role", "db"));
        assertThat(reconciler.plan(view).decisions()).containsExactly(new Decision.Place("a.service", "db1",
                view.units().get("a.service").value().hash(), rev("/keel/units/a.service"), rev("/keel/machines/db1"),
                0, rev("/keel/engine/unschedulable/a.service")));

        view.delete(Keys.bytes(Keys.unit("a.service")), ++revision);
        assertThat(reconciler.plan(view).decisions()).containsExactly(
                new Decision.ClearUnschedulable("a.service", rev("/keel/engine/unschedulable/a.service")));
    }

    @Test
    void inactiveAndDestroyedUnitsLeaveTheirMachine() {
        machine("m1", Map.of());
        unit("a.service", "", "inactive");
        scheduled("a.service", "m1");
        scheduled("gone.service", "m1");

        assertThat(reconciler.plan(view).decisions()).containsExactly(
                new Decision.Unschedule("a.service", rev("/keel/units/a.service"), rev("/keel/schedule/a.service"), null, 0),
                new Decision.Unschedule("gone.service", 0, rev("/keel/schedule/gone.service"), null, 0));
    }

    @Test
    void aStoredUnitThatCannotBeReadWaitsWithTheParseError() {
        machine("m1", Map.of());
        view.put(kv(Keys.unit("bad.service"), new UnitRecord("bad.service", "[X-Fleet]\nNope=1\n", "h", "launched"),
                ++revision));

        Decision d = reconciler.plan(view).decisions().get(0);

        assertThat(d).isInstanceOf(Decision.MarkUnschedulable.class);
        assertThat(((Decision.MarkUnschedulable) d).reason()).startsWith("invalid unit: ").contains("Nope");
    }

    @Test
    void globalUnitsAreNeverScheduled() {
        machine("m1", Map.of());
        unit("g.service", "Global=true", "launched");
        assertThat(reconciler.plan(view).decisions()).isEmpty();
    }
}
