package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cli.differential.GatewaySession;
import io.keel.cli.differential.GatewaySession.Answer;
import io.keel.testkit.EtcdProcess;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays one session of HTTP requests on the client port ({@code differential/session.gateway}:
 * {@code /health}, {@code /version}, etcd's JSON gateway) against a real etcd 3.4 and against the
 * server under test, and requires the same status and body for every request once ids, terms
 * and sizes are normalized. Transcripts are written under {@code target/differential/}.
 */
class GatewayDifferentialTest {

    private static final List<GatewaySession.Case> SESSION = GatewaySession.load("/differential/session.gateway");
    private static final Path TRANSCRIPTS = Path.of("target", "differential");

    @TempDir
    Path workDir;

    /** Proves the harness: two real etcds must answer alike after normalization. */
    @Test
    void twoEtcdServersAnswerAlike() {
        try (EtcdProcess reference = EtcdProcess.start(workDir.resolve("etcd"));
                EtcdProcess other = EtcdProcess.start(workDir.resolve("etcd-2"))) {
            assertSameAnswers("etcd", reference, "etcd-2", other);
        }
    }

    @Test
    void keelAnswersAsEtcdDoes() {
        try (EtcdProcess etcd = EtcdProcess.start(workDir.resolve("etcd"));
                KeelStoreProcess keel = KeelStoreProcess.start(workDir.resolve("keel"),
                        System.getProperty("java.class.path"))) {
            assertSameAnswers("etcd", etcd, "keel", keel);
        }
    }

    private static void assertSameAnswers(String referenceName, StoreProcess reference, String name,
            StoreProcess server) {
        List<Answer> expected;
        List<Answer> actual;
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            var left = CompletableFuture.supplyAsync(() -> new GatewaySession(reference.endpoint()).run(SESSION), pool);
            var right = CompletableFuture.supplyAsync(() -> new GatewaySession(server.endpoint()).run(SESSION), pool);
            expected = left.join();
            actual = right.join();
        }
        Path run = TRANSCRIPTS.resolve("gateway-" + referenceName + "-vs-" + name);
        writeTranscript(run.resolve(referenceName + ".txt"), expected);
        writeTranscript(run.resolve(name + ".txt"), actual);
        List<String> differences = GatewaySession.differences(referenceName, expected, name, actual);
        assertThat(differences)
                .as(() -> differences.size() + " of " + SESSION.size() + " requests answered differently by "
                        + referenceName + " and " + name + " (transcripts in " + run.toAbsolutePath() + "):\n\n"
                        + String.join("\n", differences))
                .isEmpty();
        assertThat(actual).as("the session's answers").allSatisfy(a -> assertThat(a.output()).doesNotStartWith("failed"));
    }

    private static void writeTranscript(Path file, List<Answer> answers) {
        StringBuilder text = new StringBuilder();
        answers.forEach(a -> text.append("### line ").append(a.sessionCase().line()).append(": ")
                .append(a.sessionCase().source()).append('\n').append(a.output()).append("\n\n"));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
