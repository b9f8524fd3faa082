package io.keel.cli.membership;

import static io.keel.cli.membership.MemberCommands.memberId;
import static io.keel.cli.membership.MemberCommands.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.StoreCluster;
import io.keel.testkit.StoreClusterMember;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member whose data dir is lost comes back the way etcd's runtime-reconfiguration guide says:
 * {@code member remove}, {@code member add} with the same name and peer URL, then a start with an
 * empty data dir and {@code --initial-cluster-state existing}; it comes back under a new id.
 * Meanwhile the others wrote enough
 * to snapshot and compact their logs, so it can only catch up from a snapshot. Written once, bound
 * to the Keel store and to real etcd.
 */
abstract class WipedMemberRejoinScenario extends ClusterScenario {
  private static final Duration SETTLE = Duration.ofSeconds(90);
  /**
   * 6,000 writes of 2 KiB: more than the 5,000 entries etcd keeps behind a snapshot, and more than
   * the 8 MiB log segment Keel's members close before purging it.
   */
  private static final int WRITES = 6000;
  private static final String VALUE = "v".repeat(2048);
  private static final Pattern INITIAL_CLUSTER =
      Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]+)\"");

  /** Starts a healthy 3-member cluster that snapshots after every few writes. */
  @Override
  protected abstract StoreCluster startCluster(Path workDir);

  /** The lines a member logged while it caught up from a snapshot it received from the leader. */
  protected abstract Pattern snapshotReceived();

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aWipedMemberRemovedAndAddedBackCatchesUpFromASnapshotAndServes() throws Exception {
    cluster = startCluster(work);
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    StoreClusterMember wiped = cluster.members().stream().filter(m -> m != leader)
        .findFirst().orElseThrow();
    List<String> others = cluster.members().stream().filter(m -> m != wiped)
        .map(StoreClusterMember::endpoint).toList();
    Etcdctl survivors = new Etcdctl(String.join(",", others)).withTimeout(Duration.ofSeconds(30));
    // Membership changes go through the other follower: it forwards them to the leader and must
    // take part in the configuration change it asked for.
    Etcdctl follower = new Etcdctl(cluster.members().stream()
        .filter(m -> m != leader && m != wiped).findFirst().orElseThrow().endpoint())
        .withTimeout(Duration.ofSeconds(30));

    String id = memberId(ok(follower.run("member", "list")), wiped.name());
    wiped.stop();
    wiped.wipe();
    MemberCommands.acceptedOnce(follower, SETTLE, "removed from cluster", "member", "remove", id);
    writeWhileAway(others);

    String added = MemberCommands.acceptedOnce(follower, SETTLE, "added to cluster", "member", "add", wiped.name(),
        "--peer-urls=" + wiped.advertisedPeerUrl());
    Matcher initialCluster = INITIAL_CLUSTER.matcher(added);
    assertThat(initialCluster.find()).as(added).isTrue();
    long logStart = Files.size(wiped.logFile());
    wiped.startJoining(initialCluster.group(1));

    Etcdctl rejoined = new Etcdctl(wiped.endpoint()).withTimeout(Duration.ofSeconds(30));
    Await.until(SETTLE, wiped.name() + " has the last write made while it was away", () -> rejoined
        .run("get", "k" + (WRITES - 1), "--consistency=s", "--print-value-only").stdout().trim()
        .equals((WRITES - 1) + VALUE));
    assertThat(logSince(wiped, logStart))
        .as("%s's log since it rejoined shows a snapshot received from the leader", wiped.name())
        .containsPattern(snapshotReceived());
    assertThat(ok(rejoined.run("get", "k0", "--print-value-only")).trim())
        .as("a linearizable read through the rejoined member").isEqualTo("0" + VALUE);
    ok(rejoined.run("put", "after", "rejoined"));
    assertThat(ok(survivors.run("get", "after", "--print-value-only")).trim())
        .isEqualTo("rejoined");
    Await.until(SETTLE, "three started members, " + wiped.name() + " among them", () -> {
      String list = survivors.run("member", "list").stdout();
      return list.lines().filter(l -> l.contains(", started, ")).count() == 3
          && list.contains(", started, " + wiped.name() + ", " + wiped.advertisedPeerUrl());
    });
    assertThat(memberId(ok(survivors.run("member", "list")), wiped.name()))
        .as("a member added back with the same peer URL gets a new id").isNotEqualTo(id);
  }

  private static void writeWhileAway(List<String> endpoints) throws Exception {
    try (Client client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build()) {
      for (int batch = 0; batch < WRITES; batch += 500) {
        List<CompletableFuture<?>> puts = new ArrayList<>();
        for (int i = batch; i < batch + 500; i++) {
          puts.add(client.getKVClient().put(bytes("k" + i), bytes(i + VALUE)));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Runs a membership change until the cluster accepts it: etcd refuses one with "unhealthy
   * cluster" until every remaining member has been connected for five seconds.
   */
  private static String logSince(StoreClusterMember member, long offset) throws IOException {
    byte[] log = Files.readAllBytes(member.logFile());
    return new String(log, (int) offset, log.length - (int) offset, StandardCharsets.UTF_8);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
