package io.keel.lifecycle.locksmith;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaleHoldersTest {

    private static final Instant T0 = Instant.parse("2024-11-26T00:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Test
    void aHolderAbsentLongerThanTheTimeoutIsRemoved() {
        StaleHolders.Decision first = StaleHolders.decide(List.of("dead", "alive"), Set.of("alive"), Map.of(), T0,
                TIMEOUT);
        assertThat(first.remove()).isEmpty();
        assertThat(first.absentSince()).isEqualTo(Map.of("dead", T0));

        StaleHolders.Decision atTimeout = StaleHolders.decide(List.of("dead", "alive"), Set.of("alive"),
                first.absentSince(), T0.plus(TIMEOUT), TIMEOUT);
        assertThat(atTimeout.remove()).isEmpty();

        StaleHolders.Decision after = StaleHolders.decide(List.of("dead", "alive"), Set.of("alive"),
                atTimeout.absentSince(), T0.plus(TIMEOUT).plusSeconds(1), TIMEOUT);
        assertThat(after.remove()).containsExactly("dead");
        assertThat(after.absentSince()).isEmpty();
    }

    @Test
    void comingBackResetsTheTimer() {
        StaleHolders.Decision gone = StaleHolders.decide(List.of("m"), Set.of(), Map.of(), T0, TIMEOUT);
        StaleHolders.Decision back = StaleHolders.decide(List.of("m"), Set.of("m"), gone.absentSince(),
                T0.plus(Duration.ofMinutes(4)), TIMEOUT);
        assertThat(back.absentSince()).isEmpty();
        StaleHolders.Decision goneAgain = StaleHolders.decide(List.of("m"), Set.of(), back.absentSince(),
                T0.plus(Duration.ofMinutes(6)), TIMEOUT);
        assertThat(goneAgain.remove()).isEmpty();
        assertThat(goneAgain.absentSince()).containsEntry("m", T0.plus(Duration.ofMinutes(6)));
    }

    @Test
    void timesOfFormerHoldersAreForgotten() {
        StaleHolders.Decision d = StaleHolders.decide(List.of(), Set.of(), Map.of("old", T0), T0.plus(TIMEOUT.multipliedBy(2)),
                TIMEOUT);
        assertThat(d.remove()).isEmpty();
        assertThat(d.absentSince()).isEmpty();
    }
}
