package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdProcessTest {

    @TempDir
    Path workDir;

    @Test
    void keepsDataAcrossStopKillAndRestart() {
        try (EtcdProcess etcd = EtcdProcess.start(workDir)) {
            assertThat(etcd.endpoint()).startsWith("http://127.0.0.1:");
            assertThat(etcd.dataDir()).isEqualTo(workDir.resolve("etcd-data"));
            Etcdctl etcdctl = new Etcdctl(etcd.endpoint());
            assertThat(etcdctl.run("put", "k", "v1").stdout()).isEqualTo("OK\n");

            long firstPid = etcd.pid();
            etcd.stop();
            assertThat(etcd.isAlive()).isFalse();
            etcd.start();
            assertThat(etcd.pid()).isNotEqualTo(firstPid);
            assertThat(etcdctl.run("get", "k", "--print-value-only").stdout()).isEqualTo("v1\n");

            etcd.kill9();
            assertThat(etcd.isAlive()).isFalse();
            etcd.start();
            assertThat(etcdctl.runWithStdin("v2", "put", "k").ok()).isTrue();
            assertThat(etcdctl.run("get", "k", "--print-value-only").stdout()).isEqualTo("v2\n");
            assertThat(etcd.logFile()).exists();
        }
        assertThat(Files.exists(workDir.resolve("etcd-data"))).isTrue();
    }

    @Test
    void runUntilStopsAWatchOnceTheOutputArrives() {
        try (EtcdProcess etcd = EtcdProcess.start(workDir)) {
            Etcdctl etcdctl = new Etcdctl(etcd.endpoint());
            etcdctl.run("put", "w", "1");
            Etcdctl.Result watch = etcdctl.runUntil(List.of("watch", "--rev", "1", "w"), null,
                    Duration.ofSeconds(10), out -> out.lines().count() >= 3);
            assertThat(watch.stdout()).isEqualTo("PUT\nw\n1\n");
        }
    }

    @Test
    void failsWithTheLogTailWhenTheServerExitsBeforeBecomingHealthy() {
        assertThatThrownBy(() -> KeelStoreProcess.start(workDir, workDir.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with status")
                .hasMessageContaining("io.keel.cli.Keel");
    }

    @Test
    void requireFailsForAMissingCommand() {
        assertThatThrownBy(() -> Installed.require("no-such-command-keel"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-command-keel");
    }

    @Test
    void awaitFailsWithTheDescription() {
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(50), "pigs fly", () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("pigs fly");
    }
}
