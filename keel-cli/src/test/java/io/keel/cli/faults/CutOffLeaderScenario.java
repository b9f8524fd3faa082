package io.keel.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.keel.testkit.Await;
import io.keel.testkit.StoreCluster;
import io.keel.testkit.StoreCluster.MemberStatus;
import io.keel.testkit.StoreClusterMember;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A leader that can no longer reach its followers must not answer a linearizable read: a new
 * leader may already have taken writes it has not seen. The read comes after an earlier read had
 * confirmed the leader at the same commit index, so a leader that trusts that old confirmation
 * (Apache Ratis 3.3's ReadIndex does, for as long as its commit index does not move) answers from
 * stale state. Written once, bound to the Keel store and to real etcd.
 */
abstract class CutOffLeaderScenario {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final ByteSequence KEY = ByteSequence.from("cut-off", StandardCharsets.UTF_8);

    private StoreCluster cluster;
    private List<StoreClusterMember> paused = List.of();

    /** Starts a healthy 3-member cluster with its files under {@code workDir}. */
    protected abstract StoreCluster startCluster(Path workDir);

    @AfterEach
    void tearDown() {
        paused.forEach(StoreClusterMember::resume);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aLeaderCutOffFromItsFollowersAnswersNoLinearizableRead() throws Exception {
        cluster = startCluster(FaultWorkDirs.fresh(getClass()));
        StoreClusterMember leader = cluster.awaitLeader(SETTLE);
        try (Client client = Client.builder().endpoints(leader.endpoint()).build()) {
            client.getKVClient().put(KEY, ByteSequence.from("v1", StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);
            Await.until(SETTLE, "every member holds the same log", () -> {
                List<MemberStatus> statuses = cluster.statuses();
                return statuses.size() == 3
                        && statuses.stream().mapToLong(MemberStatus::raftIndex).distinct().count() == 1;
            });
            assertThat(client.getKVClient().get(KEY).get(10, TimeUnit.SECONDS).getKvs())
                    .as("a read while the cluster is whole").hasSize(1);

            paused = cluster.members().stream().filter(m -> m != leader).toList();
            paused.forEach(StoreClusterMember::pause);

            assertThatThrownBy(() -> client.getKVClient().get(KEY).get(4, TimeUnit.SECONDS))
                    .as("a linearizable read on a leader that cannot reach a majority")
                    .isInstanceOfAny(TimeoutException.class, ExecutionException.class);
        }
    }
}
