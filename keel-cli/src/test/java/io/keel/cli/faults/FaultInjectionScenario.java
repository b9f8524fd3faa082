package io.keel.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.keel.testkit.StoreCluster;
import io.keel.testkit.Trees;
import io.keel.testkit.history.History;
import io.keel.testkit.history.KvOperation;
import io.keel.testkit.history.LinearizabilityChecker;
import io.keel.testkit.history.LinearizabilityReport;
import io.keel.testkit.history.LinearizabilityViolation;
import io.keel.testkit.history.WatchGuaranteeChecker;
import io.keel.testkit.history.WatchRange;
import io.keel.testkit.history.WatchReport;
import io.keel.testkit.history.WatcherRecord;
import io.keel.testkit.nemesis.FaultKind;
import io.keel.testkit.nemesis.Nemesis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients read, write and compare-and-swap a few keys on a 3-member cluster, and watchers follow
 * them, while a nemesis kills members (the leader included), pauses them and cuts peer links.
 * Then everything is healed, and the recorded history must be linearizable and the watch streams
 * must keep etcd's guarantees. Written once, bound to an implementation by a subclass
 * ({@link #startCluster}); real etcd is the control.
 *
 * <p>{@code -Dkeel.faults.seed=N} replays a schedule; {@code -Dkeel.faults.seconds=N} sets the
 * length of the fault phase (default 40). Everything stays in
 * {@code target/faults/<test class>-<seed>/}: the report, the full history ({@code history.txt})
 * and the members' logs (and their data dirs if the test failed).
 */
public abstract class FaultInjectionScenario {

    private static final String PREFIX = "/faults/";
    private static final Duration RECOVERY = Duration.ofSeconds(90);
    private static final Duration OP_TIMEOUT = Duration.ofSeconds(3);
    private static final int CLIENTS = 4;

    private Path workDir;
    private boolean passed;

    private StoreCluster cluster;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Starts a healthy 3-member cluster with its files under {@code workDir}. */
    protected abstract StoreCluster startCluster(Path workDir);

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        if (cluster != null) {
            cluster.close();
            if (passed) {
                for (var member : cluster.members()) {
                    Trees.delete(member.dataDir());
                }
                Trees.delete(workDir.resolve("classpath"));
            }
        }
    }

    /** The faults the nemesis draws from: every kind, unless the store under test is known to break under one. */
    protected FaultKind[] faultKinds() {
        return FaultKind.values();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void historyIsLinearizableAndWatchesKeepTheirGuaranteesUnderFaults() {
        long seed = Long.getLong("keel.faults.seed", System.nanoTime() & 0xffffffL);
        Duration faultPhase = Duration.ofSeconds(Long.getLong("keel.faults.seconds", 40));
        workDir = freshDirectory(Path.of("target", "faults", getClass().getSimpleName() + "-" + seed).toAbsolutePath());
        StringBuilder report = new StringBuilder("seed " + seed + " (-Dkeel.faults.seed=" + seed + " replays the"
                + " fault schedule), fault phase " + faultPhase.toSeconds() + " s, work dir " + workDir + "\n");

        cluster = startCluster(workDir);
        long origin = System.nanoTime();
        long startRevision = currentRevision() + 1;
        History history = new History();

        KvWorkload workload = new KvWorkload(cluster.endpoints(), history, PREFIX, seed, CLIENTS, OP_TIMEOUT,
                Duration.ofSeconds(10));
        closeables.add(workload);
        List<ResumingWatcher> watchers = List.of(
                new ResumingWatcher("watch-1", WatchRange.prefix(PREFIX), cluster.endpoints(), startRevision, false,
                        seed + 1, Duration.ofSeconds(3), Duration.ofSeconds(8)),
                new ResumingWatcher("watch-2-hasleader", WatchRange.prefix(PREFIX), cluster.endpoints(),
                        startRevision, true, seed + 2, Duration.ofSeconds(3), Duration.ofSeconds(8)));
        closeables.addAll(watchers);
        FaultKind[] kinds = faultKinds();
        Nemesis nemesis = Nemesis.builder(cluster).seed(seed)
                .faults(kinds[0], Arrays.copyOfRange(kinds, 1, kinds.length))
                .faultDuration(Duration.ofSeconds(2), Duration.ofSeconds(6))
                .quietPeriod(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .runFor(faultPhase)
                .build();
        closeables.add(nemesis);

        watchers.forEach(ResumingWatcher::start);
        workload.start();
        nemesis.start();
        assertThat(nemesis.awaitDone(faultPhase.plus(Duration.ofMinutes(2)))).as("the nemesis schedule ends").isTrue();
        nemesis.stop();
        report.append("faults (s from the start of the workload):\n").append(nemesis.timeline(origin));

        String recovery = "the cluster recovered";
        try {
            cluster.heal(RECOVERY);
            long healedAt = workload.acknowledged();
            io.keel.testkit.Await.until(RECOVERY, "clients complete 100 more operations after the heal",
                    () -> workload.acknowledged() >= healedAt + 100);
        } catch (AssertionError | RuntimeException e) {
            recovery = "the cluster did NOT recover: " + e.getMessage();
        }
        workload.stop();
        report.append(recovery).append(" at +").append(seconds(System.nanoTime() - origin)).append(" s\n");

        List<String> problems = new ArrayList<>();
        if (recovery.startsWith("the cluster did NOT")) {
            problems.add(recovery);
        } else {
            workload.finalReads();
            long sentinel = workload.put("final", PREFIX + "sentinel", "end");
            for (ResumingWatcher watcher : watchers) {
                try {
                    io.keel.testkit.Await.until(RECOVERY, watcher.record().name() + " sees revision " + sentinel,
                            () -> watcher.coveredUpTo() >= sentinel);
                } catch (AssertionError e) {
                    problems.add(e.getMessage() + " (it is at " + watcher.coveredUpTo() + ")");
                }
            }
        }
        watchers.forEach(ResumingWatcher::stop);

        List<KvOperation> operations = history.operations();
        long unknown = operations.stream().filter(KvOperation::isUnknown).count();
        report.append(String.format(Locale.ROOT, "history: %d operations (%d with unknown outcome) on %d keys;"
                + " %d faults injected%n", operations.size(), unknown, workload.keys().size(), nemesis.faultsInjected()));
        report.append(HistoryStats.describe(operations));
        report.append("network: ").append(cluster.network().stats()).append('\n');
        watchers.forEach(w -> report.append(w.summary()).append('\n'));

        LinearizabilityReport linearizability = new LinearizabilityChecker(Duration.ofSeconds(90),
                Duration.ofSeconds(30)).check(operations);
        report.append("linearizability: ").append(linearizability.verdict()).append('\n');
        for (LinearizabilityViolation violation : linearizability.violations()) {
            long at = violation.operations().stream().mapToLong(KvOperation::invokeNanos).min().orElse(origin);
            report.append("(this sub-history begins at +").append(seconds(at - origin)).append(" s)\n")
                    .append(violation.render());
        }
        linearizability.undecided().forEach((key, n) -> report.append("undecided: ").append(key).append(" (")
                .append(n).append(" operations)\n"));

        List<WatcherRecord> records = watchers.stream().map(ResumingWatcher::record).toList();
        WatchReport watch = WatchGuaranteeChecker.check(records, operations);
        report.append(watch.describe());
        problems.forEach(p -> report.append("problem: ").append(p).append('\n'));
        System.out.println(report);
        keep(seed, report.toString(), operations, origin);

        assertThat(problems).as(report.toString()).isEmpty();
        assertThat(linearizability.verdict()).as(report.toString()).isEqualTo(LinearizabilityReport.Verdict.LINEARIZABLE);
        assertThat(watch.holds()).as(report.toString()).isTrue();
        assertThat(nemesis.faultsInjected()).as(report.toString()).isGreaterThanOrEqualTo(3);
        assertThat(records).allSatisfy(r -> assertThat(r.sessions()).hasSizeGreaterThan(1));
        passed = true;
    }

    private long currentRevision() {
        try (Client client = Client.builder().endpoints(cluster.endpoints().toArray(String[]::new)).build()) {
            return client.getKVClient().get(KvWorkload.bytes("\0")).get(30, TimeUnit.SECONDS).getHeader().getRevision();
        } catch (Exception e) {
            throw new AssertionError("cannot read the revision of the fresh cluster", e);
        }
    }

    /** Writes the report and the full history into the work dir, pass or fail. */
    private void keep(long seed, String report, List<KvOperation> operations, long origin) {
        StringBuilder out = new StringBuilder("# invoke-ms return-ms (from the start of the workload) operation\n");
        for (KvOperation op : operations) {
            out.append(String.format(Locale.ROOT, "%10.3f %10s %s%n", (op.invokeNanos() - origin) / 1e6,
                    op.isUnknown() ? "-" : String.format(Locale.ROOT, "%.3f", (op.returnNanos() - origin) / 1e6), op));
        }
        try {
            Files.writeString(workDir.resolve("report.txt"), report);
            Files.writeString(workDir.resolve("history.txt"), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path freshDirectory(Path dir) {
        Trees.delete(dir);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }
}
