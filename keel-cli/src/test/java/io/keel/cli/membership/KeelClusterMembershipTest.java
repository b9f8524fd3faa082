package io.keel.cli.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.PutResponse;
import io.keel.cli.contract.GatewayHttp;
import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.FreePorts;
import io.keel.testkit.KeelStoreCluster;
import io.keel.testkit.StoreClusterMember;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-member Keel store cluster driven by etcdctl 3.4: any member serves any request,
 * leases outlive a leader, and members are added and removed through the Cluster API. Steps
 * build on each other, in order, on one cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeelClusterMembershipTest {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Pattern ADDED = Pattern.compile("Member +([0-9a-f]+) added to cluster");

  @TempDir
  static Path work;
  private KeelStoreCluster cluster;
  private Process joiner;

  @BeforeAll
  void startCluster() {
    cluster = KeelStoreCluster.start(work.resolve("cluster"), 3,
        System.getProperty("java.class.path"));
  }

  @AfterAll
  void stopCluster() {
    if (joiner != null) {
      joiner.destroyForcibly();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private Etcdctl all() {
    return new Etcdctl(cluster.endpointsFlag()).withTimeout(Duration.ofSeconds(30));
  }

  private static Etcdctl at(String endpoint) {
    return new Etcdctl(endpoint).withTimeout(Duration.ofSeconds(30));
  }

  private StoreClusterMember aFollowerOf(StoreClusterMember leader) {
    return cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
  }

  private static String ok(Etcdctl.Result r) {
    assertThat(r.exitCode()).as("etcdctl failed: %s", r.stderr()).isZero();
    return r.stdout();
  }

  @Test
  @Order(1)
  void everyMemberIsListedStartedWithItsNameAndClientUrl() {
    Await.until(SETTLE, "three started members", () -> {
      String list = all().run("member", "list").stdout();
      return cluster.members().stream().allMatch(m -> list.contains(", started, " + m.name() + ", ")
          && list.contains(m.endpoint()));
    });
  }

  @Test
  @Order(2)
  void writesThroughAnyMemberAreReadLinearizablyFromEveryOther() {
    List<StoreClusterMember> members = cluster.members();
    for (int i = 0; i < members.size(); i++) {
      ok(at(members.get(i).endpoint()).run("put", "via-" + i, "value-" + i));
    }
    for (StoreClusterMember reader : members) {
      for (int i = 0; i < members.size(); i++) {
        assertThat(ok(at(reader.endpoint()).run("get", "via-" + i, "--print-value-only")).trim())
            .isEqualTo("value-" + i);
      }
    }
  }

  @Test
  @Order(2)
  void aFollowersForwardedWritesAreCountedInTheLeadersMetrics() {
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    StoreClusterMember follower = aFollowerOf(leader);
    long before = forwardedWritesAnswered(leader);
    for (int i = 0; i < 3; i++) {
      ok(at(follower.endpoint()).run("put", "counted-" + i, "v"));
    }
    assertThat(forwardedWritesAnswered(leader)).isGreaterThanOrEqualTo(before + 3);
  }

  /** The leader's count of forwarded batches it answered, from its client port's /metrics. */
  private static long forwardedWritesAnswered(StoreClusterMember leader) {
    GatewayHttp.Answer metrics = new GatewayHttp(leader.endpoint()).get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    Matcher count = Pattern.compile("(?m)^keel_grpc_server_calls_seconds_count\\{code=\"OK\","
        + "method=\"keel.internal.Peer/Propose\",?\\} ([0-9.E]+)$").matcher(metrics.body());
    return count.find() ? (long) Double.parseDouble(count.group(1)) : 0;
  }

  @Test
  @Order(2)
  void concurrentWritesThroughAFollowerEachGetTheirOwnRevision() throws Exception {
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    StoreClusterMember follower = aFollowerOf(leader);
    try (Client client = Client.builder().endpoints(follower.endpoint()).build()) {
      List<CompletableFuture<PutResponse>> puts = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        puts.add(client.getKVClient().put(
            ByteSequence.from("concurrent-" + i, StandardCharsets.UTF_8),
            ByteSequence.from("v" + i, StandardCharsets.UTF_8)));
      }
      Set<Long> revisions = new HashSet<>();
      for (CompletableFuture<PutResponse> put : puts) {
        revisions.add(put.get(30, TimeUnit.SECONDS).getHeader().getRevision());
      }
      assertThat(revisions).hasSize(200);
    }
  }

  /**
   * {@code move-leader} while a client writes through the leader: the leader refuses new entries
   * while it hands over, before appending them, so each is sent again to the new leader instead
   * of failing (it failed with "request timed out" before).
   */
  @Test
  @Order(2)
  void writesThroughTheLeaderCarryOnWhileLeadershipMoves() throws Exception {
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    StoreClusterMember target = aFollowerOf(leader);
    String targetId = ok(all().run("member", "list")).lines()
        .filter(line -> line.contains(target.endpoint())).findFirst().orElseThrow()
        .split(",")[0].trim();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger written = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    try (Client client = Client.builder().endpoints(leader.endpoint()).build()) {
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        while (writing.get()) {
          List<CompletableFuture<PutResponse>> wave = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            wave.add(client.getKVClient().put(
                ByteSequence.from("moving-" + i, StandardCharsets.UTF_8),
                ByteSequence.from("v" + written.get(), StandardCharsets.UTF_8)));
          }
          for (CompletableFuture<PutResponse> put : wave) {
            put.handle((r, e) -> e == null ? written.incrementAndGet() : failures.add(e)).join();
          }
        }
      });
      Await.until(SETTLE, "writes under way", () -> written.get() >= 200);
      ok(at(leader.endpoint()).run("move-leader", targetId));
      Await.until(SETTLE, "the target leads", () -> cluster.leader().orElse(null) == target);
      int atMove = written.get();
      Await.until(SETTLE, "writes after the move", () -> written.get() >= atMove + 200);
      writing.set(false);
      writer.get(60, TimeUnit.SECONDS);
    }
    assertThat(failures).as("writes refused while leadership moved").isEmpty();
  }

  @Test
  @Order(3)
  void leaseKeptAliveThroughFollowersSurvivesTheLeader() {
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    List<StoreClusterMember> followers = cluster.members().stream()
        .filter(m -> m != leader).toList();
    String granted = ok(at(followers.get(0).endpoint()).run("lease", "grant", "20"));
    String lease = granted.split("\\s+")[1];
    ok(at(followers.get(1).endpoint()).run("put", "leased", "v", "--lease=" + lease));
    ok(at(followers.get(1).endpoint()).run("lease", "keep-alive", "--once", lease));

    leader.kill9();
    StoreClusterMember next = cluster.awaitLeader(SETTLE);
    assertThat(next).isNotSameAs(leader);
    String ttl = ok(at(next.endpoint()).run("lease", "timetolive", lease, "--keys"));
    Matcher remaining = Pattern.compile("remaining\\((\\d+)s\\)").matcher(ttl);
    assertThat(remaining.find()).as(ttl).isTrue();
    assertThat(Long.parseLong(remaining.group(1)))
        .as("a new leader gives leases a fresh TTL").isGreaterThanOrEqualTo(15);
    assertThat(ttl).contains("leased");

    leader.start();
    Await.until(SETTLE, "the restarted member catches up", () ->
        at(leader.endpoint()).run("get", "leased", "--consistency=s", "--print-value-only")
            .stdout().trim().equals("v"));
  }

  @Test
  @Order(4)
  void aMemberAddedThroughTheClusterApiJoinsCatchesUpAndServes() throws IOException {
    int[] ports = FreePorts.allocate(2);
    String client = "http://127.0.0.1:" + ports[0];
    String peer = "http://127.0.0.1:" + ports[1];
    // the member restarted above counts as connected only after five seconds, as in etcd
    String out = MemberCommands.acceptedOnce(all(), SETTLE, "added to cluster",
        "member", "add", "n4", "--peer-urls=" + peer);
    Matcher added = ADDED.matcher(out);
    assertThat(added.find()).as(out).isTrue();
    Matcher initial = Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]+)\"").matcher(out);
    assertThat(initial.find()).as(out).isTrue();
    assertThat(ok(all().run("member", "list"))).contains(added.group(1) + ", unstarted, ");

    joiner = startJoiner("n4", client, peer, initial.group(1));
    Await.until(SETTLE, "n4 serves the data written before it joined", () ->
        at(client).run("get", "via-0", "--consistency=s", "--print-value-only").stdout().trim()
            .equals("value-0"));
    ok(at(client).run("put", "from-n4", "yes"));
    assertThat(ok(all().run("get", "from-n4", "--print-value-only")).trim()).isEqualTo("yes");
    Await.until(SETTLE, "n4 listed as started", () ->
        all().run("member", "list").stdout().contains(", started, n4, " + peer + ", " + client));
  }

  /** Starts {@code keel store} as a member joining the cluster ({@code existing}). */
  private Process startJoiner(String name, String client, String peer, String initialCluster)
      throws IOException {
    Path dir = work.resolve(name);
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), "io.keel.cli.Keel", "store",
        "--name", name, "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", initialCluster, "--initial-cluster-state", "existing",
        "--initial-cluster-token", clusterToken()));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile()).start();
  }

  /** The token the fixture gave the cluster, read back from the command line it logged. */
  private String clusterToken() throws IOException {
    Path log = cluster.members().get(0).logFile();
    Matcher token = Pattern.compile("--initial-cluster-token (\\S+)").matcher(Files.readString(log));
    if (!token.find()) {
      throw new IllegalStateException("no --initial-cluster-token in " + log);
    }
    return token.group(1);
  }

  @Test
  @Order(5)
  void aRemovedMemberLeavesTheListStopsAndTheClusterKeepsWriting() throws IOException {
    String list = ok(all().run("member", "list"));
    Matcher n4 = Pattern.compile("([0-9a-f]+), started, n4,").matcher(list);
    assertThat(n4.find()).as(list).isTrue();
    MemberCommands.acceptedOnce(all(), SETTLE, "removed from cluster",
        "member", "remove", n4.group(1));
    Await.until(SETTLE, "n4 gone from every member's list", () -> cluster.members().stream()
        .allMatch(m -> !at(m.endpoint()).run("member", "list").stdout().contains(n4.group(1))));
    ok(all().run("put", "after-remove", "1"));
    Await.until(SETTLE, "the removed member's process exits, as etcd's does", () -> !joiner.isAlive());
    assertThat(joiner.exitValue()).isZero();
    assertThat(Files.readString(work.resolve("n4").resolve("n4.log")))
        .contains("the member has been permanently removed from the cluster; stopping");
    assertThat(all().run("member", "remove", n4.group(1)).stderr())
        .contains("etcdserver: member not found");
  }

  /**
   * A member started with {@code --initial-cluster-state existing} that was never added asks its
   * peers, learns the cluster does not list it, and exits at once naming {@code member add} (etcd
   * 3.4 exits at once too, with "error validating peerURLs ...: member count is unequal").
   */
  @Test
  @Order(6)
  void aMemberStartedAsExistingButNeverAddedExitsNamingTheFix() throws Exception {
    int[] ports = FreePorts.allocate(2);
    String client = "http://127.0.0.1:" + ports[0];
    String peer = "http://127.0.0.1:" + ports[1];
    String before = ok(all().run("member", "list"));
    StringBuilder initialCluster = new StringBuilder();
    cluster.members().forEach(m -> initialCluster.append(m.name()).append('=')
        .append(m.advertisedPeerUrl()).append(','));
    Process n5 = startJoiner("n5", client, peer, initialCluster + "n5=" + peer);
    assertThat(n5.waitFor(SETTLE.toSeconds(), TimeUnit.SECONDS)).as("n5 exits").isTrue();
    assertThat(n5.exitValue()).isNotZero();
    assertThat(Files.readString(work.resolve("n5").resolve("n5.log")))
        .contains("member 'n5' (peer URLs [" + peer + "]) is not in the cluster's member list")
        .contains("etcdctl member add n5 --peer-urls=" + peer);
    assertThat(ok(all().run("member", "list"))).isEqualTo(before);
  }
}
