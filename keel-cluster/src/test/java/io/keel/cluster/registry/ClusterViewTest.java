package io.keel.cluster.registry;

import static io.keel.cluster.registry.KeyValues.kv;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterViewTest {

    private final ClusterView view = new ClusterView();

    @Test
    void putsAndDeletesKeepEachRecordWithItsRevisions() {
        MachineRecord m1 = new MachineRecord("m1", "10.0.0.1", Map.of("rack", "r1"), null, "v");
        view.put(kv("/keel/machines/m1", Codec.encode(m1).toString(java.nio.charset.StandardCharsets.UTF_8), 3, 5, 77));
        view.put(kv("/keel/units/a.service", new UnitRecord("a.service", "[Service]\n", "h", "launched"), 6));
        view.put(kv("/keel/schedule/a.service", new ScheduleRecord("m1", "h"), 7));
        view.put(kv("/keel/state/a.service/m1", new UnitStateRecord("a.service", "m1", "h", "launched", "loaded",
                "active", "running"), 8));
        view.put(kv("/keel/engine/leader", "e1", 9, 9, 12));
        view.put(kv("/keel/engine/unschedulable/b.service", "no machine", 10, 10, 0));

        assertThat(view.machines().get("m1")).isEqualTo(new Versioned<>(m1, 3, 5, 77));
        assertThat(view.units().get("a.service").modRevision()).isEqualTo(6);
        assertThat(view.schedule().get("a.service").value().machineID()).isEqualTo("m1");
        assertThat(view.states("a.service")).containsOnlyKeys("m1");
        assertThat(view.leader().orElseThrow().value()).isEqualTo("e1");
        assertThat(view.unschedulable().get("b.service").value()).isEqualTo("no machine");
        assertThat(view.revision()).isEqualTo(10);

        view.delete(Keys.bytes("/keel/state/a.service/m1"), 11);
        view.delete(Keys.bytes("/keel/machines/m1"), 11);
        view.delete(Keys.bytes("/keel/engine/leader"), 12);
        assertThat(view.states("a.service")).isEmpty();
        assertThat(view.machines()).isEmpty();
        assertThat(view.leader()).isEmpty();
        assertThat(view.revision()).isEqualTo(12);
    }

    @Test
    void aMalformedValueCountsAsAbsent() {
        view.put(kv("/keel/units/a.service", new UnitRecord("a.service", "", "h", "launched"), 2));
        assertThat(view.put(kv("/keel/units/a.service", "{not json", 3, 3, 0))).isEmpty();
        assertThat(view.units()).isEmpty();
        assertThat(view.revision()).isEqualTo(3);
    }

    @Test
    void keysOutsideTheLayoutAreIgnoredButAdvanceTheRevision() {
        assertThat(view.put(kv("/keel/version", "1", 4, 4, 0))).isEmpty();
        assertThat(view.revision()).isEqualTo(4);
    }
}
