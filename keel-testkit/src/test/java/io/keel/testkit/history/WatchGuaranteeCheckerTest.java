package io.keel.testkit.history;

import static io.keel.testkit.history.WatchEvent.put;
import static io.keel.testkit.history.WatchResponseRecord.events;
import static io.keel.testkit.history.WatchResponseRecord.progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.testkit.history.WatchViolation.Guarantee;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchGuaranteeCheckerTest {

    private static final WatchRange ALL = WatchRange.prefix("/k/");

    private final Ops h = new Ops();

    private static WatcherRecord watcher(String name, WatchSession... sessions) {
        return new WatcherRecord(name, ALL, List.of(sessions));
    }

    private static WatchSession session(long start, WatchResponseRecord... responses) {
        return new WatchSession(start, List.of(responses));
    }

    private void writes() {
        h.write("a", "/k/a", "a1", 0, 10, 2);
        h.write("a", "/k/b", "b1", 20, 30, 3);
        h.write("a", "/k/a", "a2", 40, 50, 4);
        h.write("a", "/k/b", "b2", 60, 70, 5);
    }

    private List<Guarantee> broken(WatcherRecord... watchers) {
        WatchReport report = WatchGuaranteeChecker.check(List.of(watchers), h.list());
        return report.violations().stream().map(WatchViolation::guarantee).distinct().toList();
    }

    @Test
    void aCompleteOrderedWatchHolds() {
        writes();
        WatchReport report = WatchGuaranteeChecker.check(List.of(watcher("w",
                session(1, events(3, put(2, "/k/a", "a1"), put(3, "/k/b", "b1")), events(4, put(4, "/k/a", "a2")),
                        events(5, put(5, "/k/b", "b2")), progress(5)))), h.list());
        assertThat(report.holds()).as(report.describe()).isTrue();
        assertThat(report.events()).isEqualTo(4);
    }

    @Test
    void aWatchResumedFromTheRevisionAfterItsLastEventHolds() {
        writes();
        assertThat(broken(watcher("w",
                session(1, events(3, put(2, "/k/a", "a1"), put(3, "/k/b", "b1"))),
                session(4, events(5, put(4, "/k/a", "a2"))),
                session(5, events(5, put(5, "/k/b", "b2")))))).isEmpty();
    }

    @Test
    void aWatchStartedLaterNeedNotSeeEarlierRevisions() {
        writes();
        assertThat(broken(watcher("w", session(4, events(5, put(4, "/k/a", "a2"), put(5, "/k/b", "b2")))))).isEmpty();
    }

    @Test
    void outOfOrderEventsBreakOrdered() {
        writes();
        assertThat(broken(watcher("w", session(2,
                events(3, put(3, "/k/b", "b1")), events(3, put(2, "/k/a", "a1")))))).contains(Guarantee.ORDERED);
    }

    @Test
    void anEventDeliveredTwiceBreaksUnique() {
        writes();
        assertThat(broken(watcher("w",
                session(2, events(3, put(2, "/k/a", "a1"), put(3, "/k/b", "b1"))),
                session(3, events(3, put(3, "/k/b", "b1")))))).containsExactly(Guarantee.UNIQUE);
    }

    @Test
    void aRevisionSplitOverTwoResponsesBreaksAtomic() {
        h.add("a", new KvInput.Write("/k/a", "a1"), new KvOutput.WriteOk(7), 0, 10);
        h.add("a", new KvInput.Write("/k/b", "b1"), new KvOutput.WriteOk(7), 0, 10);
        assertThat(broken(watcher("w", session(7,
                events(7, put(7, "/k/a", "a1")), events(7, put(7, "/k/b", "b1")))))).containsExactly(Guarantee.ATOMIC);
    }

    @Test
    void aRevisionDeliveredWithoutAllItsKeysBreaksAtomic() {
        h.add("a", new KvInput.Write("/k/a", "a1"), new KvOutput.WriteOk(7), 0, 10);
        h.add("a", new KvInput.Write("/k/b", "b1"), new KvOutput.WriteOk(7), 0, 10);
        WatchReport report = WatchGuaranteeChecker.check(List.of(watcher("w",
                session(7, events(7, put(7, "/k/a", "a1"))))), h.list());
        assertThat(report.violations()).extracting(WatchViolation::guarantee)
                .containsExactlyInAnyOrder(Guarantee.ATOMIC, Guarantee.RELIABLE);
        assertThat(report.describe()).contains("lacks its change to /k/b");
    }

    @Test
    void aGapBetweenReceivedEventsBreaksReliable() {
        writes();
        WatchReport report = WatchGuaranteeChecker.check(List.of(watcher("w",
                session(1, events(3, put(2, "/k/a", "a1"), put(3, "/k/b", "b1")), events(5, put(5, "/k/b", "b2"))))),
                h.list());
        assertThat(report.violations()).extracting(WatchViolation::guarantee).containsExactly(Guarantee.RELIABLE);
        assertThat(report.describe()).contains("missed /k/a at revision 4", "acknowledged write #3");
        assertThatThrownBy(report::assertHolds).isInstanceOf(AssertionError.class).hasMessageContaining("RELIABLE");
    }

    @Test
    void anEventOnlyAnotherWatcherSawCountsAsMissed() {
        WatchReport report = WatchGuaranteeChecker.check(List.of(
                watcher("w1", session(2, events(4, put(2, "/k/a", "x"), put(4, "/k/a", "y")))),
                watcher("w2", session(2, events(3, put(2, "/k/a", "x")), events(4, put(3, "/k/b", "z")),
                        events(4, put(4, "/k/a", "y"))))));
        assertThat(report.violations()).extracting(WatchViolation::guarantee, WatchViolation::watcher)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Guarantee.RELIABLE, "w1"));
    }

    @Test
    void progressNotificationExtendsWhatTheWatcherMustHaveSeen() {
        writes();
        assertThat(broken(watcher("w", session(4, progress(5))))).containsExactly(Guarantee.RELIABLE);
    }

    @Test
    void anEventAtOrBelowAProgressNotificationBreaksBookmarkable() {
        writes();
        assertThat(broken(watcher("w", session(4, events(4, put(4, "/k/a", "a2")), progress(5),
                events(5, put(5, "/k/b", "b2")))))).contains(Guarantee.BOOKMARKABLE);
    }

    @Test
    void aResumedWatchThatDeliversOlderRevisionsBreaksResumable() {
        writes();
        assertThat(broken(watcher("w",
                session(2, events(2, put(2, "/k/a", "a1"))),
                session(3, events(5, put(3, "/k/b", "b1"), put(4, "/k/a", "a2"))),
                session(5, events(5, put(4, "/k/a", "a2"), put(5, "/k/b", "b2"))))))
                .contains(Guarantee.RESUMABLE);
    }

    @Test
    void aResumedWatchThatSkipsItsFirstRevisionBreaksReliable() {
        writes();
        assertThat(broken(watcher("w",
                session(2, events(2, put(2, "/k/a", "a1"))),
                session(3, events(5, put(4, "/k/a", "a2"), put(5, "/k/b", "b2")))))).containsExactly(Guarantee.RELIABLE);
    }

    @Test
    void resumingPastTheLastSeenRevisionIsReported() {
        writes();
        assertThat(broken(watcher("w",
                session(2, events(2, put(2, "/k/a", "a1"))),
                session(5, events(5, put(5, "/k/b", "b2")))))).containsExactly(Guarantee.RESUMABLE);
    }

    @Test
    void aCompactedStartRevisionAllowsTheGapUpToTheCompaction() {
        writes();
        assertThat(broken(watcher("w",
                session(2, events(2, put(2, "/k/a", "a1"))),
                session(3, WatchResponseRecord.compacted(5, 4)),
                session(4, events(5, put(4, "/k/a", "a2"), put(5, "/k/b", "b2")))))).isEmpty();
    }

    @Test
    void anEventOutsideTheRangeBreaksFiltered() {
        h.write("a", "/other", "o", 0, 10, 2);
        assertThat(broken(watcher("w", session(2, events(2, put(2, "/other", "o")))))).contains(Guarantee.FILTERED);
    }

    @Test
    void anEventThatContradictsAnAcknowledgedWriteIsUntrue() {
        writes();
        WatchReport report = WatchGuaranteeChecker.check(List.of(watcher("w",
                session(2, events(2, put(2, "/k/a", "a2"))))), h.list());
        assertThat(report.violations()).extracting(WatchViolation::guarantee).contains(Guarantee.TRUTHFUL);
        assertThat(report.describe()).contains("at revision 2 key /k/a is PUT \"a2\"", "acknowledged write #1");
    }

    @Test
    void anEventWithAValueNobodyWroteIsUntrue() {
        writes();
        assertThat(broken(watcher("w", session(6, events(6, put(6, "/k/a", "ghost"))))))
                .containsExactly(Guarantee.TRUTHFUL);
    }

    @Test
    void watchersThatDisagreeAboutARevisionAreUntrue() {
        assertThat(WatchGuaranteeChecker.check(List.of(
                watcher("w1", session(2, events(2, put(2, "/k/a", "x")))),
                watcher("w2", session(2, events(2, put(2, "/k/a", "y")))))).violations())
                .extracting(WatchViolation::guarantee).containsExactly(Guarantee.TRUTHFUL);
    }

    @Test
    void readsAreFactsTooAWatcherMustDeliverWhatAReadSaw() {
        h.writeUnknown("a", "/k/a", "a1", 0, 10);
        h.read("b", "/k/a", 20, 30, "a1", 2);
        h.write("a", "/k/a", "a2", 40, 50, 3);
        assertThat(broken(watcher("w", session(1, events(3, put(3, "/k/a", "a2"))))))
                .containsExactly(Guarantee.RELIABLE);
    }

    @Test
    void manyViolationsAreSummarized() {
        for (int i = 0; i < 20; i++) {
            h.write("a", "/k/a", "v" + i, i * 10, i * 10 + 5, i + 2);
        }
        WatchReport report = WatchGuaranteeChecker.check(List.of(watcher("w",
                session(2, events(2, put(2, "/k/a", "v0")), events(21, put(21, "/k/a", "v19"))))), h.list());
        assertThat(report.violations()).hasSize(6);
        assertThat(report.describe()).contains("and 13 more like the above");
    }

    @Test
    void rangesFollowEtcdSemantics() {
        assertThat(WatchRange.prefix("/k/").contains("/k/a")).isTrue();
        assertThat(WatchRange.prefix("/k/").contains("/k0")).isFalse();
        assertThat(WatchRange.prefix("/k/").contains("/k")).isFalse();
        assertThat(WatchRange.key("/k").contains("/k/a")).isFalse();
        assertThat(new WatchRange("b", "\0").contains("zzz")).isTrue();
        assertThat(new WatchRange("b", "\0").contains("a")).isFalse();
    }
}
