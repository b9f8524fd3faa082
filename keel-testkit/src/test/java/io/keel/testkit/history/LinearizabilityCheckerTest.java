package io.keel.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.testkit.history.KvOutput.CasOk;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    private final Ops h = new Ops();

    private LinearizabilityReport check() {
        return LinearizabilityChecker.checkHistory(h.list());
    }

    private LinearizabilityViolation onlyViolation() {
        LinearizabilityReport report = check();
        assertThat(report.verdict()).as(report.describe()).isEqualTo(LinearizabilityReport.Verdict.NOT_LINEARIZABLE);
        assertThat(report.violations()).hasSize(1);
        return report.violations().getFirst();
    }

    private void assertLinearizable() {
        LinearizabilityReport report = check();
        assertThat(report.verdict()).as(report.describe()).isEqualTo(LinearizabilityReport.Verdict.LINEARIZABLE);
    }

    @Test
    void emptyHistoryIsLinearizable() {
        assertLinearizable();
    }

    @Nested
    class Reads {

        @Test
        void readAfterWriteSeesIt() {
            h.write("a", "k", "1", 0, 10, 2);
            h.read("b", "k", 20, 30, "1", 2);
            assertLinearizable();
        }

        @Test
        void onceAReadSawTheNewValueLaterReadsCannotSeeTheOld() {
            h.write("a", "k", "1", 0, 10, 2);
            h.write("a", "k", "2", 20, 60, 3);
            h.read("b", "k", 25, 30, "2", 3);
            h.read("c", "k", 31, 40, "1", 2);
            assertThat(check().verdict()).isEqualTo(LinearizabilityReport.Verdict.NOT_LINEARIZABLE);
        }

        @Test
        void concurrentReadsMayBothSeeOldOrNewWhenNotOrdered() {
            h.write("a", "k", "1", 0, 10, 2);
            h.write("a", "k", "2", 20, 60, 3);
            h.read("b", "k", 25, 50, "2", 3);
            h.read("c", "k", 30, 40, "1", 2);
            assertLinearizable();
        }

        @Test
        void staleReadAfterANewerWriteCompletedFails() {
            h.write("a", "k", "1", 0, 10, 2);
            h.read("x", "k", 11, 12, "1", 2);
            h.write("a", "k", "2", 20, 30, 3);
            h.read("x", "k", 31, 32, "2", 3);
            KvOperation stale = h.read("b", "k", 40, 50, "1", 2);
            h.read("x", "k", 60, 70, "2", 3);

            LinearizabilityViolation v = onlyViolation();
            assertThat(v.key()).isEqualTo("k");
            assertThat(v.minimal()).isTrue();
            assertThat(v.operations()).contains(stale);
            assertThat(v.operations()).extracting(op -> op.input().toString())
                    .containsExactly("write(\"1\")", "write(\"2\")", "read");
            assertThat(v.render()).contains("minimal failing sub-history, 3 of 6 operations", "#5");
        }

        @Test
        void readOfAbsentAfterAnAcknowledgedWriteIsALostWrite() {
            h.write("a", "k", "1", 0, 10, 2);
            h.readAbsent("b", "k", 20, 30);
            assertThat(onlyViolation().operations()).hasSize(2);
        }

        @Test
        void readOfAValueBeforeItsWriteWasInvokedFails() {
            h.read("b", "k", 0, 10, "1", 2);
            h.write("a", "k", "1", 20, 30, 2);
            assertThat(onlyViolation().operations()).hasSize(2);
        }

        @Test
        void readOfAValueNobodyWroteFails() {
            h.write("a", "k", "1", 0, 10, 2);
            KvOperation phantom = h.read("b", "k", 20, 30, "ghost", 3);
            LinearizabilityViolation v = onlyViolation();
            assertThat(v.reason()).contains("\"ghost\"", "no operation wrote");
            assertThat(v.operations()).containsExactly(phantom);
        }

        @Test
        void readsGoingBackInTimeFail() {
            h.write("a", "k", "1", 0, 10, 2);
            h.write("a", "k", "2", 20, 100, 3);
            h.read("b", "k", 30, 40, "2", 3);
            h.read("b", "k", 50, 60, "1", 2);
            assertThat(onlyViolation().operations()).hasSize(4);
        }
    }

    @Nested
    class Revisions {

        @Test
        void oneValueAtTwoRevisionsFails() {
            h.write("a", "k", "1", 0, 10, 2);
            h.read("b", "k", 20, 30, "1", 7);
            LinearizabilityViolation v = onlyViolation();
            assertThat(v.reason()).contains("seen at revisions [2, 7]");
            assertThat(v.operations()).hasSize(2);
        }

        @Test
        void twoValuesAtOneRevisionFail() {
            h.write("a", "k", "1", 0, 10, 5);
            h.write("b", "k", "2", 0, 10, 5);
            assertThat(onlyViolation().reason()).contains("revision 5 holds different values");
        }

        @Test
        void writesMustTakeEffectInRevisionOrder() {
            h.write("a", "k", "1", 0, 10, 9);
            h.write("a", "k", "2", 20, 30, 4);
            assertThat(onlyViolation().operations()).hasSize(2);
        }

        @Test
        void concurrentWritesTakeEffectInTheirRevisionOrder() {
            h.write("a", "k", "1", 0, 50, 9);
            h.write("b", "k", "2", 10, 40, 4);
            h.read("c", "k", 60, 70, "1", 9);
            assertLinearizable();
        }
    }

    @Nested
    class CompareAndSwap {

        @Test
        void casOnTheCurrentRevisionSucceeds() {
            h.write("a", "k", "1", 0, 10, 2);
            h.read("a", "k", 20, 30, "1", 2);
            h.casRev("a", "k", 2, "2", 40, 50, CasOk.succeeded(3));
            h.casRev("b", "k", 2, "3", 60, 70, CasOk.failed(new Versioned("2", 3)));
            h.read("b", "k", 80, 90, "2", 3);
            assertLinearizable();
        }

        @Test
        void twoCasOnTheSameRevisionCannotBothSucceed() {
            h.write("a", "k", "1", 0, 10, 2);
            h.casRev("a", "k", 2, "2", 20, 50, CasOk.succeeded(3));
            h.casRev("b", "k", 2, "3", 20, 50, CasOk.succeeded(4));
            assertThat(onlyViolation().operations()).hasSize(3);
        }

        @Test
        void casThatFailedAlthoughTheRevisionMatchedFails() {
            h.write("a", "k", "1", 0, 10, 2);
            h.casRev("b", "k", 2, "2", 20, 30, CasOk.failed(new Versioned("1", 2)));
            LinearizabilityViolation v = onlyViolation();
            assertThat(v.operations()).hasSize(2);
        }

        @Test
        void casFailureWithoutACurrentValueIsExplainedByAConcurrentWrite() {
            h.write("a", "k", "1", 0, 10, 2);
            h.write("c", "k", "x", 15, 40, 3);
            h.casRev("b", "k", 2, "2", 20, 30, CasOk.failed());
            assertLinearizable();
        }

        @Test
        void casOnAbsentKeyCreatesIt() {
            h.casRev("a", "k", 0, "1", 0, 10, CasOk.succeeded(2));
            h.casRev("b", "k", 0, "2", 20, 30, CasOk.failed(new Versioned("1", 2)));
            h.casValue("b", "k", "1", "3", 40, 50, CasOk.succeeded(3));
            h.read("c", "k", 60, 70, "3", 3);
            assertLinearizable();
        }

        @Test
        void casOnValueThatSucceededOnAnOtherValueFails() {
            h.write("a", "k", "1", 0, 10, 2);
            h.write("a", "k", "2", 20, 30, 3);
            h.casValue("b", "k", "1", "3", 40, 50, CasOk.succeeded(4));
            assertThat(onlyViolation().operations()).hasSize(3);
        }

        @Test
        void casWhoseFailureBranchReadAStaleValueFails() {
            h.write("a", "k", "1", 0, 10, 2);
            h.write("a", "k", "2", 20, 30, 3);
            h.casRev("b", "k", 5, "3", 40, 50, CasOk.failed(new Versioned("1", 2)));
            h.add("c", new KvInput.Cas("k", KvInput.modRevision(3), "4"), CasOk.succeeded(5), 60, 70);
            assertThat(onlyViolation().operations()).extracting(KvOperation::id).containsExactly(1, 2, 3);
        }

        @Test
        void casExpectingARevisionNobodySawIsRejected() {
            h.casRev("a", "k", 42, "1", 0, 10, CasOk.failed());
            assertThatThrownBy(LinearizabilityCheckerTest.this::check)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mod_revision 42");
        }
    }

    @Nested
    class UnknownOutcomes {

        @Test
        void unknownWriteMayTakeEffectLongAfterItsClientGaveUp() {
            h.write("a", "k", "1", 0, 10, 2);
            h.writeUnknown("b", "k", "2", 20, 30);
            h.read("c", "k", 40, 50, "1", 2);
            h.read("c", "k", 1000, 1010, "2", 3);
            assertLinearizable();
        }

        @Test
        void unknownWriteMayNeverTakeEffect() {
            h.write("a", "k", "1", 0, 10, 2);
            h.writeUnknown("b", "k", "2", 20, 30);
            h.read("c", "k", 1000, 1010, "1", 2);
            assertLinearizable();
        }

        @Test
        void unknownWriteCannotTakeEffectBeforeItWasInvoked() {
            h.read("c", "k", 0, 10, "2", 3);
            h.writeUnknown("b", "k", "2", 20, 30);
            assertThat(onlyViolation().operations()).hasSize(2);
        }

        @Test
        void unknownWriteTakesEffectOnlyOnce() {
            h.write("a", "k", "1", 0, 10, 2);
            h.writeUnknown("b", "k", "2", 20, 30);
            h.read("c", "k", 40, 50, "2", 3);
            h.write("a", "k", "3", 60, 70, 4);
            h.read("c", "k", 80, 90, "2", 3);
            LinearizabilityViolation v = onlyViolation();
            assertThat(v.operations()).extracting(KvOperation::id).containsExactly(2, 4, 5);
        }

        @Test
        void unknownCasTakesEffectOnlyIfItsConditionHeld() {
            h.write("a", "k", "1", 0, 10, 2);
            h.write("a", "k", "2", 20, 30, 3);
            h.casRevUnknown("b", "k", 2, "3", 40, 50);
            h.read("c", "k", 60, 70, "3", 4);
            assertThat(onlyViolation().operations()).hasSize(4);
        }

        @Test
        void unknownCasMayHaveTakenEffectWhileItsConditionHeld() {
            h.write("a", "k", "1", 0, 10, 2);
            h.casRevUnknown("b", "k", 2, "3", 20, 30);
            h.write("a", "k", "2", 25, 60, 5);
            h.read("c", "k", 70, 80, "2", 5);
            h.read("c", "k", 15, 90, "3", 4);
            assertLinearizable();
        }

        @Test
        void unknownReadsConstrainNothing() {
            h.write("a", "k", "1", 0, 10, 2);
            h.add("b", new KvInput.Read("k"), new KvOutput.Unknown("timeout"), 20, 30);
            assertLinearizable();
        }
    }

    @Test
    void keysAreCheckedIndependently() {
        h.write("a", "k1", "1", 0, 10, 2);
        h.write("a", "k2", "1", 0, 10, 3);
        h.read("b", "k1", 20, 30, "1", 2);
        h.readAbsent("b", "k2", 20, 30);
        LinearizabilityReport report = check();
        assertThat(report.keys()).containsOnlyKeys("k1", "k2");
        assertThat(report.violations()).extracting(LinearizabilityViolation::key).containsExactly("k2");
    }

    @Test
    void duplicateValuesOnOneKeyAreRejected() {
        h.write("a", "k", "1", 0, 10, 2);
        h.write("b", "k", "1", 20, 30, 3);
        assertThatThrownBy(this::check).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unique");
    }

    @Test
    void assertLinearizablePrintsTheFailingHistory() {
        h.write("a", "k", "1", 0, 10, 2);
        h.readAbsent("b", "k", 20, 30);
        assertThatThrownBy(() -> check().assertLinearizable()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("NOT_LINEARIZABLE").hasMessageContaining("write(\"1\") -> ok@2")
                .hasMessageContaining("read -> absent");
    }

    @Test
    void historyRecorderTimesOperationsWithItsClock() {
        long[] now = {100};
        History history = new History(() -> now[0]);
        History.Call write = history.invoke("a", new KvInput.Write("k", "1"));
        History.Call read = history.invoke("b", new KvInput.Read("k"));
        now[0] = 150;
        read.ok(new KvOutput.ReadOk(null));
        now[0] = 200;
        write.ok(new KvOutput.WriteOk(2));
        History.Call lost = history.invoke("c", new KvInput.Write("k", "2"));
        lost.failed();
        assertThatThrownBy(() -> lost.unknown("again")).isInstanceOf(IllegalStateException.class);

        List<KvOperation> ops = history.operations();
        assertThat(ops).extracting(KvOperation::invokeNanos, KvOperation::returnNanos)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(100L, 200L),
                        org.assertj.core.groups.Tuple.tuple(100L, 150L));
        assertThat(LinearizabilityChecker.checkHistory(ops).linearizable()).isTrue();
    }
}
