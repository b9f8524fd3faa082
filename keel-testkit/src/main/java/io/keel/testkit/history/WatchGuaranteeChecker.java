package io.keel.testkit.history;

import io.keel.testkit.history.WatchViolation.Guarantee;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks what watchers received against etcd's watch guarantees: ordered, unique, atomic,
 * reliable, resumable and bookmarkable, plus that every event is in the watched range and true.
 *
 * <p>"True" is judged against a merged log of facts: every event any watcher received, every
 * acknowledged write (its key, value and revision), and every value a read saw with its
 * {@code mod_revision}. Two facts about the same key and revision must agree. A watcher must
 * receive every fact about its range at every revision it covers: from its first session's
 * start revision up to the last revision it saw (its last event or progress notification), and
 * after a resume from the new session's start revision. A watch whose start revision was
 * compacted may skip up to the compaction revision.
 */
public final class WatchGuaranteeChecker {

    /** Examples kept per watcher and guarantee; the rest are counted. */
    private static final int EXAMPLES = 5;

    private record EventKey(long revision, String key) {}

    private record Fact(WatchEvent.Type type, String value, String source) {
        boolean agrees(Fact other) {
            return type == other.type && Objects.equals(value, other.value);
        }

        @Override
        public String toString() {
            return (type == WatchEvent.Type.PUT ? "PUT \"" + value + "\"" : "DELETE") + " (" + source + ")";
        }
    }

    private final TreeMap<Long, Map<String, Fact>> facts = new TreeMap<>();
    private final Map<String, Set<String>> attempted;
    private final List<WatchViolation> violations = new ArrayList<>();
    private final Map<String, Integer> suppressed = new LinkedHashMap<>();

    private WatchGuaranteeChecker(Map<String, Set<String>> attempted) {
        this.attempted = attempted;
    }

    /**
     * Checks {@code watchers} against each other and against the client {@code history}
     * (acknowledged writes, observed values, and the set of values ever written: an event with
     * a value nobody wrote is a violation).
     */
    public static WatchReport check(List<WatcherRecord> watchers, Collection<KvOperation> history) {
        Map<String, Set<String>> attempted = new HashMap<>();
        for (KvOperation op : history) {
            String written = KvModel.writtenValue(op.input());
            if (written != null) {
                attempted.computeIfAbsent(op.key(), k -> new HashSet<>()).add(written);
            }
        }
        WatchGuaranteeChecker checker = new WatchGuaranteeChecker(attempted);
        for (KvOperation op : history) {
            checker.addClientFacts(op);
        }
        return checker.run(watchers);
    }

    /** Checks {@code watchers} against each other only. */
    public static WatchReport check(List<WatcherRecord> watchers) {
        return new WatchGuaranteeChecker(null).run(watchers);
    }

    private void addClientFacts(KvOperation op) {
        switch (op.output()) {
            case KvOutput.WriteOk ok -> addFact(ok.revision(), op.key(), new Fact(WatchEvent.Type.PUT,
                    ((KvInput.Write) op.input()).value(), "acknowledged write #" + op.id()), "client history");
            case KvOutput.CasOk ok when ok.succeeded() -> addFact(ok.revision(), op.key(), new Fact(
                    WatchEvent.Type.PUT, ((KvInput.Cas) op.input()).newValue(), "acknowledged CAS #" + op.id()),
                    "client history");
            case KvOutput.CasOk ok when ok.current() != null -> addFact(ok.current().modRevision(), op.key(),
                    new Fact(WatchEvent.Type.PUT, ok.current().value(), "CAS #" + op.id() + " read it"),
                    "client history");
            case KvOutput.ReadOk ok when ok.current() != null -> addFact(ok.current().modRevision(), op.key(),
                    new Fact(WatchEvent.Type.PUT, ok.current().value(), "read #" + op.id()), "client history");
            default -> { }
        }
    }

    private WatchReport run(List<WatcherRecord> watchers) {
        int sessions = 0;
        int events = 0;
        for (WatcherRecord watcher : watchers) {
            for (WatchSession session : watcher.sessions()) {
                sessions++;
                for (WatchResponseRecord response : session.responses()) {
                    for (WatchEvent event : response.events()) {
                        events++;
                        recordEvent(watcher, event);
                    }
                }
            }
        }
        for (WatcherRecord watcher : watchers) {
            checkWatcher(watcher);
        }
        suppressed.forEach((what, count) -> violations.add(new WatchViolation(
                Guarantee.valueOf(what.substring(0, what.indexOf(' '))), what.substring(what.indexOf(' ') + 1),
                "... and " + count + " more like the above")));
        return new WatchReport(watchers.size(), sessions, events, violations);
    }

    private void recordEvent(WatcherRecord watcher, WatchEvent event) {
        if (event.type() == WatchEvent.Type.PUT && attempted != null
                && !attempted.getOrDefault(event.key(), Set.of()).contains(event.value())) {
            report(Guarantee.TRUTHFUL, watcher.name(), event + " carries a value no client ever wrote to the key");
        }
        addFact(event.revision(), event.key(), new Fact(event.type(), event.value(), "watcher " + watcher.name()),
                watcher.name());
    }

    private void addFact(long revision, String key, Fact fact, String reporter) {
        Map<String, Fact> atRevision = facts.computeIfAbsent(revision, r -> new HashMap<>());
        Fact known = atRevision.putIfAbsent(key, fact);
        if (known != null && !known.agrees(fact)) {
            report(Guarantee.TRUTHFUL, reporter, "at revision " + revision + " key " + key + " is " + fact
                    + " but also " + known);
        }
    }

    private void checkWatcher(WatcherRecord watcher) {
        String name = watcher.name();
        WatchRange range = watcher.range();
        Set<EventKey> seen = new HashSet<>();
        Map<Long, Integer> responseOfRevision = new HashMap<>();
        List<long[]> coverage = new ArrayList<>();
        long lastRevision = 0;
        long lastProgress = 0;
        long coveredUpTo = -1;
        long compactedTo = 0;
        int responseIndex = 0;
        for (int s = 0; s < watcher.sessions().size(); s++) {
            WatchSession session = watcher.sessions().get(s);
            long start = session.startRevision();
            if (s > 0 && start > coveredUpTo + 1 && start > compactedTo) {
                report(Guarantee.RESUMABLE, name, "session " + (s + 1) + " resumed at revision " + start
                        + " although the watcher had seen only up to revision " + coveredUpTo
                        + ": revisions " + (coveredUpTo + 1) + ".." + (start - 1) + " are never watched");
            }
            long covered = start - 1;
            for (WatchResponseRecord response : session.responses()) {
                responseIndex++;
                if (response.compactRevision() > 0) {
                    compactedTo = Math.max(compactedTo, response.compactRevision());
                }
                for (WatchEvent event : response.events()) {
                    long r = event.revision();
                    if (!range.contains(event.key())) {
                        report(Guarantee.FILTERED, name, event + " is outside the watched range " + range);
                    }
                    if (r < start) {
                        report(Guarantee.RESUMABLE, name, "session " + (s + 1) + " started at revision " + start
                                + " but delivered " + event);
                    }
                    if (r < lastRevision) {
                        report(Guarantee.ORDERED, name, event + " arrived after an event at revision " + lastRevision);
                    }
                    if (!seen.add(new EventKey(r, event.key()))) {
                        report(Guarantee.UNIQUE, name, event + " was delivered twice (session " + (s + 1) + ")");
                    } else {
                        Integer earlier = responseOfRevision.putIfAbsent(r, responseIndex);
                        if (earlier != null && earlier != responseIndex) {
                            report(Guarantee.ATOMIC, name, "revision " + r + " is split over two responses ("
                                    + event + " came in a later one)");
                        }
                    }
                    if (r <= lastProgress) {
                        report(Guarantee.BOOKMARKABLE, name, event + " arrived after a progress notification at "
                                + lastProgress);
                    }
                    lastRevision = Math.max(lastRevision, r);
                    covered = Math.max(covered, r);
                }
                if (response.progressNotify()) {
                    lastProgress = Math.max(lastProgress, response.headerRevision());
                    covered = Math.max(covered, response.headerRevision());
                }
                checkComplete(name, range, response);
            }
            if (covered >= start) {
                coverage.add(new long[] {start, covered});
            }
            coveredUpTo = Math.max(coveredUpTo, covered);
        }
        for (long[] interval : coverage) {
            for (Map.Entry<Long, Map<String, Fact>> e : facts.subMap(interval[0], true, interval[1], true).entrySet()) {
                for (Map.Entry<String, Fact> fact : new TreeMap<>(e.getValue()).entrySet()) {
                    if (range.contains(fact.getKey()) && !seen.contains(new EventKey(e.getKey(), fact.getKey()))) {
                        report(Guarantee.RELIABLE, name, "missed " + fact.getKey() + " at revision " + e.getKey()
                                + ": " + fact.getValue() + ", though it watched revisions " + interval[0] + ".."
                                + interval[1]);
                    }
                }
            }
        }
    }

    /** A response holding events of revision r must hold every event of r in the watched range. */
    private void checkComplete(String name, WatchRange range, WatchResponseRecord response) {
        Map<Long, Set<String>> delivered = new TreeMap<>();
        for (WatchEvent event : response.events()) {
            delivered.computeIfAbsent(event.revision(), r -> new HashSet<>()).add(event.key());
        }
        delivered.forEach((revision, keys) -> {
            for (String key : new TreeMap<>(facts.getOrDefault(revision, Map.of())).keySet()) {
                if (range.contains(key) && !keys.contains(key)) {
                    report(Guarantee.ATOMIC, name, "a response with revision " + revision + " lacks its change to "
                            + key + " (" + facts.get(revision).get(key) + ")");
                }
            }
        });
    }

    private void report(Guarantee guarantee, String watcher, String detail) {
        String kind = guarantee + " " + watcher;
        long already = violations.stream()
                .filter(v -> v.guarantee() == guarantee && v.watcher().equals(watcher)).count();
        if (already >= EXAMPLES) {
            suppressed.merge(kind, 1, Integer::sum);
            return;
        }
        violations.add(new WatchViolation(guarantee, watcher, detail));
    }
}
