package io.keel.cluster.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionWriterTest {

    private static Decision place(int i, String machine) {
        return new Decision.Place("u" + i + ".service", machine, "h", 10 + i, 5, 0, 0);
    }

    @Test
    void decisionsArePackedSoCompareAndOperationCountsStayWithinTheLimit() {
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            decisions.add(place(i, "m" + (i % 3)));
        }
        List<List<Decision>> batches = new DecisionWriter(null, new LeaderTerm("e", 1, 1), 128).pack(decisions);

        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(200);
        for (List<Decision> batch : batches) {
            java.util.Set<String> keys = new java.util.HashSet<>();
            batch.forEach(d -> keys.addAll(DecisionWriter.compares(d).keySet()));
            assertThat(keys.size() + 1).isLessThanOrEqualTo(128);
            assertThat(batch.stream().mapToInt(d -> DecisionWriter.ops(d).size()).sum()).isLessThanOrEqualTo(128);
        }
        // three machines shared by every decision: (128 - 1 leader - 3 machines) / 2 keys per unit
        assertThat(batches.get(0)).hasSize(62);
    }

    @Test
    void everyDecisionComparesTheRevisionsItWasMadeOn() {
        assertThat(DecisionWriter.compares(new Decision.Place("a.service", "m1", "h", 4, 5, 6, 7)))
                .containsExactly(java.util.Map.entry("/keel/units/a.service", 4L),
                        java.util.Map.entry("/keel/machines/m1", 5L),
                        java.util.Map.entry("/keel/schedule/a.service", 6L));
        assertThat(DecisionWriter.ops(new Decision.Place("a.service", "m1", "h", 4, 5, 6, 7))).hasSize(2);
        assertThat(DecisionWriter.compares(new Decision.Unschedule("a.service", 0, 6, "why", 0)))
                .containsOnlyKeys("/keel/units/a.service", "/keel/schedule/a.service",
                        "/keel/engine/unschedulable/a.service");
        assertThat(DecisionWriter.compares(new Decision.ClearUnschedulable("a.service", 9)))
                .containsExactly(java.util.Map.entry("/keel/engine/unschedulable/a.service", 9L));
    }
}
