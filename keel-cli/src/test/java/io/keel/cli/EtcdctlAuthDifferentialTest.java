package io.keel.cli;

import io.keel.cli.differential.SessionCase;
import io.keel.cli.differential.SessionFile;
import io.keel.testkit.EtcdProcess;
import io.keel.testkit.KeelStoreProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the etcdctl 3.4 authentication session ({@code differential/session.auth.etcdctl}:
 * users, roles, permissions, auth enable/disable, requests as limited users) against a real
 * etcd and against the server under test, each on a fresh store, and requires the same output
 * for every command. Transcripts are written under {@code target/differential/auth/}.
 */
class EtcdctlAuthDifferentialTest {

    private static final List<SessionCase> SESSION = SessionFile.load("/differential/session.auth.etcdctl");
    private static final Path TRANSCRIPTS = Path.of("target", "differential", "auth");

    @TempDir
    Path workDir;

    /** Proves the harness: two real etcds must look identical after normalization. */
    @Test
    void twoEtcdServersGiveIdenticalOutputs() {
        try (EtcdProcess reference = EtcdProcess.start(workDir.resolve("etcd"));
                EtcdProcess other = EtcdProcess.start(workDir.resolve("etcd-2"))) {
            EtcdctlDifferentialTest.assertSameOutputs(SESSION, TRANSCRIPTS, "etcd", reference, "etcd-2", other);
        }
    }

    @Test
    void keelGivesTheSameOutputsAsEtcd() {
        try (EtcdProcess etcd = EtcdProcess.start(workDir.resolve("etcd"));
                KeelStoreProcess keel = KeelStoreProcess.start(workDir.resolve("keel"),
                        System.getProperty("java.class.path"))) {
            EtcdctlDifferentialTest.assertSameOutputs(SESSION, TRANSCRIPTS, "etcd", etcd, "keel", keel);
        }
    }
}
