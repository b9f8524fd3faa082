package io.keel.testkit.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.EtcdCluster;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.StoreCluster;
import io.keel.testkit.StoreClusterMember;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** The cluster fixture and the nemesis against a real 3-member etcd cluster. */
class EtcdClusterNemesisTest {

    private static final Duration RECOVERY = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    private StoreCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void membersServeLeaderFailsOverWhenIsolatedKilledOrPaused() {
        cluster = EtcdCluster.start(workDir, 3);
        assertThat(cluster.endpoints()).hasSize(3).allSatisfy(e -> assertThat(e).startsWith("http://127.0.0.1:"));
        assertThat(cluster.statuses()).hasSize(3).allSatisfy(s -> assertThat(s.hasLeader()).isTrue());
        assertThat(new Etcdctl(cluster.endpoints().get(0)).run("put", "k", "v").ok()).isTrue();
        assertThat(new Etcdctl(cluster.endpoints().get(2)).run("get", "k", "--print-value-only").stdout())
                .isEqualTo("v\n");

        StoreClusterMember first = cluster.awaitLeader(RECOVERY);
        cluster.network().isolate(first.name());
        StoreClusterMember second = awaitLeaderOtherThan(first);
        cluster.heal(RECOVERY);

        second.kill9();
        StoreClusterMember third = awaitLeaderOtherThan(second);
        second.start();
        cluster.awaitHealthy(RECOVERY);

        third.pause();
        assertThat(third.isPaused()).isTrue();
        assertThat(cluster.status(third)).isEmpty();
        awaitLeaderOtherThan(third);
        third.resume();
        cluster.awaitHealthy(RECOVERY);
        assertThat(new Etcdctl(cluster.endpointsFlag()).run("get", "k", "--print-value-only").stdout())
                .isEqualTo("v\n");
    }

    @Test
    void nemesisInjectsAndHealsFaultsAndTheClusterRecovers() {
        cluster = EtcdCluster.start(workDir, 3);
        Nemesis nemesis = Nemesis.builder(cluster).seed(7)
                .faultDuration(Duration.ofMillis(500), Duration.ofMillis(1500))
                .quietPeriod(Duration.ofMillis(200), Duration.ofMillis(500))
                .runFor(Duration.ofSeconds(8))
                .build();
        long origin = System.nanoTime();
        nemesis.start();
        assertThat(nemesis.awaitDone(Duration.ofSeconds(90))).as("the schedule ends").isTrue();
        assertThat(nemesis.faultsInjected()).isGreaterThanOrEqualTo(3);
        nemesis.stop();
        cluster.heal(RECOVERY);

        String timeline = nemesis.timeline(origin);
        assertThat(nemesis.events()).as(timeline).noneMatch(e -> e.description().startsWith("failed"));
        assertThat(timeline).contains("seed 7", "inject ", "healed ", "schedule complete", "nemesis stopped");
        assertThat(new Etcdctl(cluster.endpointsFlag()).run("put", "after", "faults").ok()).isTrue();
    }

    private StoreClusterMember awaitLeaderOtherThan(StoreClusterMember old) {
        StoreClusterMember[] found = new StoreClusterMember[1];
        io.keel.testkit.Await.until(RECOVERY, "a leader other than " + old.name(), () -> {
            found[0] = cluster.leader().filter(m -> !m.name().equals(old.name())).orElse(null);
            return found[0] != null;
        });
        return found[0];
    }
}
