package io.keel.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RandomHistoriesTest {

    private final LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofSeconds(60), Duration.ofSeconds(20));

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    @Timeout(60)
    void generatedLinearizableHistoriesPass(long seed) {
        List<KvOperation> history = SimulatedRegisters.generate(seed, 6, 3, 300, 0.05);
        LinearizabilityReport report = checker.check(history);
        assertThat(report.verdict()).as(report.describe()).isEqualTo(LinearizabilityReport.Verdict.LINEARIZABLE);
        assertThat(report.operations()).isEqualTo(1800);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 13})
    @Timeout(120)
    void anInjectedStaleReadIsFoundAndShrunk(long seed) {
        List<KvOperation> history = new ArrayList<>(SimulatedRegisters.generate(seed, 6, 3, 300, 0.05));
        KvOperation stale = injectStaleRead(history).orElseThrow();

        LinearizabilityReport report = checker.check(history);

        assertThat(report.verdict()).as(report.describe()).isEqualTo(LinearizabilityReport.Verdict.NOT_LINEARIZABLE);
        LinearizabilityViolation violation = report.violations().getFirst();
        assertThat(violation.key()).isEqualTo(stale.key());
        assertThat(violation.minimal()).isTrue();
        assertThat(violation.operations()).as(violation.render()).hasSizeLessThanOrEqualTo(6).contains(stale);
    }

    @Test
    @Timeout(60)
    void manyUnknownOutcomesStayTractable() {
        List<KvOperation> history = SimulatedRegisters.generate(99, 5, 2, 200, 0.3);
        LinearizabilityReport report = checker.check(history);
        assertThat(report.verdict()).as(report.describe()).isEqualTo(LinearizabilityReport.Verdict.LINEARIZABLE);
    }

    /**
     * Replaces a read in the second half of the history by a read of an older value of its key:
     * one that a write, completed before the read was invoked, had already overwritten.
     */
    private static Optional<KvOperation> injectStaleRead(List<KvOperation> history) {
        for (int i = history.size() / 2; i < history.size(); i++) {
            KvOperation read = history.get(i);
            if (!(read.output() instanceof KvOutput.ReadOk ok) || ok.current() == null) {
                continue;
            }
            for (KvOperation older : history) {
                if (older.key().equals(read.key()) && older.output() instanceof KvOutput.WriteOk w
                        && older.returnNanos() < read.invokeNanos() && w.revision() < ok.current().modRevision()
                        && supersededBefore(history, older, read)) {
                    KvOperation replaced = new KvOperation(read.id(), read.client(), read.input(),
                            new KvOutput.ReadOk(new Versioned(((KvInput.Write) older.input()).value(), w.revision())),
                            read.invokeNanos(), read.returnNanos());
                    history.set(i, replaced);
                    return Optional.of(replaced);
                }
            }
        }
        return Optional.empty();
    }

    /** Some known write of the key started after {@code older} returned and ended before {@code read}. */
    private static boolean supersededBefore(List<KvOperation> history, KvOperation older, KvOperation read) {
        return history.stream().anyMatch(op -> op.key().equals(read.key()) && op.output() instanceof KvOutput.WriteOk
                && op.invokeNanos() > older.returnNanos() && op.returnNanos() < read.invokeNanos());
    }
}
