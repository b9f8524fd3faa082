package io.keel.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.keel.testkit.StoreCluster;
import io.keel.testkit.StoreClusterMember;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizable reads on a five-member cluster, where a leader needs two other voters to confirm a
 * read and a follower's vote alone does not complete the majority: every member reads every
 * member's write; with two members killed (the leader among them) the other three still do; with
 * a follower of the new leader paused too, neither the leader nor the last follower answers a
 * linearizable read. Written once, bound to the Keel store
 * and to real etcd.
 */
abstract class FiveMemberReadsScenario {
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private StoreCluster cluster;
    private final List<Client> clients = new ArrayList<>();

    /** Starts a healthy 5-member cluster with its files under {@code workDir}. */
    protected abstract StoreCluster startCluster(Path workDir);

    @AfterEach
    void tearDown() {
        clients.forEach(Client::close);
        if (cluster != null) {
            cluster.members().stream().filter(StoreClusterMember::isPaused)
                    .forEach(StoreClusterMember::resume);
            cluster.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void readsNeedAMajorityOfFiveAndSeeEveryAcknowledgedWrite() throws Exception {
        cluster = startCluster(FaultWorkDirs.fresh(getClass()));
        StoreClusterMember leader = cluster.awaitLeader(SETTLE);
        List<StoreClusterMember> members = cluster.members();
        assertThat(members).hasSize(5);
        writeThroughEachAndReadFromEach(members, "via-", "first-");

        StoreClusterMember follower = members.stream().filter(m -> m != leader).findFirst()
                .orElseThrow();
        leader.kill9();
        follower.kill9();
        List<StoreClusterMember> survivors = members.stream()
                .filter(m -> m != leader && m != follower).toList();
        StoreClusterMember newLeader = cluster.awaitLeader(SETTLE);
        writeThroughEachAndReadFromEach(survivors, "after-", "second-");

        StoreClusterMember paused = survivors.stream().filter(m -> m != newLeader).findFirst()
                .orElseThrow();
        paused.pause();
        List<StoreClusterMember> readers = new ArrayList<>(List.of(newLeader));
        survivors.stream().filter(m -> m != newLeader && m != paused).forEach(readers::add);
        for (StoreClusterMember reader : readers) {
            assertThatThrownBy(() -> client(reader).getKVClient().get(key("after-0"))
                    .get(4, TimeUnit.SECONDS))
                    .as("a linearizable read on %s with two of five members up", reader.name())
                    .isInstanceOfAny(TimeoutException.class, ExecutionException.class);
        }
    }

    /** Writes key {@code keyPrefix + i} through member i, then reads every key from every member. */
    private void writeThroughEachAndReadFromEach(List<StoreClusterMember> members, String keyPrefix,
            String valuePrefix) throws Exception {
        for (int i = 0; i < members.size(); i++) {
            put(members.get(i), keyPrefix + i, valuePrefix + i);
        }
        for (StoreClusterMember reader : members) {
            for (int i = 0; i < members.size(); i++) {
                assertThat(read(reader, keyPrefix + i)).as("%s reads %s%d", reader.name(), keyPrefix, i)
                        .isEqualTo(valuePrefix + i);
            }
        }
    }

    private void put(StoreClusterMember member, String key, String value) throws Exception {
        client(member).getKVClient().put(key(key), ByteSequence.from(value, StandardCharsets.UTF_8))
                .get(30, TimeUnit.SECONDS);
    }

    private String read(StoreClusterMember member, String key) throws Exception {
        List<KeyValue> kvs = client(member).getKVClient().get(key(key)).get(30, TimeUnit.SECONDS)
                .getKvs();
        return kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
    }

    private Client client(StoreClusterMember member) {
        Client client = Client.builder().endpoints(member.endpoint()).build();
        clients.add(client);
        return client;
    }

    private static ByteSequence key(String key) {
        return ByteSequence.from(key, StandardCharsets.UTF_8);
    }
}
