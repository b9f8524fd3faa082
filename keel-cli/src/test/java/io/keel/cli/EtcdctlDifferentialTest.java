package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cli.differential.SessionCase;
import io.keel.cli.differential.SessionDiff;
import io.keel.cli.differential.SessionFile;
import io.keel.cli.differential.SessionRunner;
import io.keel.cli.differential.SessionRunner.Outcome;
import io.keel.testkit.EtcdProcess;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays one etcdctl 3.4 session ({@code differential/session.etcdctl}) against a real etcd
 * and against the server under test, and requires the same output for every command once
 * ids, terms and timestamps are normalized. Transcripts of both runs are written under
 * {@code target/differential/}.
 */
class EtcdctlDifferentialTest {

    private static final List<SessionCase> SESSION = SessionFile.load("/differential/session.etcdctl");
    private static final Path TRANSCRIPTS = Path.of("target", "differential");

    @TempDir
    Path workDir;

    /** Proves the harness: two real etcds must look identical after normalization. */
    @Test
    void twoEtcdServersGiveIdenticalOutputs() {
        try (EtcdProcess reference = EtcdProcess.start(workDir.resolve("etcd"));
                EtcdProcess other = EtcdProcess.start(workDir.resolve("etcd-2"))) {
            assertSameOutputs(SESSION, TRANSCRIPTS, "etcd", reference, "etcd-2", other);
        }
    }

    @Test
    void keelGivesTheSameOutputsAsEtcd() {
        try (EtcdProcess etcd = EtcdProcess.start(workDir.resolve("etcd"));
                KeelStoreProcess keel = KeelStoreProcess.start(workDir.resolve("keel"),
                        System.getProperty("java.class.path"))) {
            assertSameOutputs(SESSION, TRANSCRIPTS, "etcd", etcd, "keel", keel);
        }
    }

    /**
     * Replays {@code session} against both servers at once and requires the same normalized
     * outputs, writing both transcripts under {@code transcripts/<reference>-vs-<name>/}.
     */
    static void assertSameOutputs(List<SessionCase> session, Path transcripts, String referenceName,
            StoreProcess reference, String name, StoreProcess server) {
        List<Outcome> expected;
        List<Outcome> actual;
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            CompletableFuture<List<Outcome>> left = CompletableFuture.supplyAsync(
                    () -> new SessionRunner(reference.endpoint()).run(session), pool);
            CompletableFuture<List<Outcome>> right = CompletableFuture.supplyAsync(
                    () -> new SessionRunner(server.endpoint()).run(session), pool);
            expected = left.join();
            actual = right.join();
        }
        String run = referenceName + "-vs-" + name;
        SessionDiff.writeTranscript(transcripts.resolve(run).resolve(referenceName + ".txt"), expected);
        SessionDiff.writeTranscript(transcripts.resolve(run).resolve(name + ".txt"), actual);

        List<String> differences = SessionDiff.differences(referenceName, expected, name, actual);
        assertThat(differences)
                .as(() -> differences.size() + " of " + session.size() + " etcdctl cases differ between "
                        + referenceName + " and " + name + " (transcripts in " + transcripts.resolve(run).toAbsolutePath()
                        + "):\n\n" + String.join("\n", differences))
                .isEmpty();
    }
}
