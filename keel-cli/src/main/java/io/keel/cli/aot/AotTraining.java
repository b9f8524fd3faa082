package io.keel.cli.aot;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.keel.store.server.AutoCompaction;
import io.keel.store.server.StoreConfig;
import io.keel.store.server.StoreLimits;
import io.keel.store.server.StoreServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The run {@code bin/keel} records the JVM's ahead-of-time cache from (JDK 25, JEP 483 and 515):
 * store members in this JVM, on loopback ports and data dirs under a scratch directory, serving
 * {@link StoreWorkload}. First one member alone; then three members, whose leader is stopped so
 * another is elected, and restarted so it catches up. A store member started with the cache finds
 * the classes these paths use already loaded and linked, and its JIT starts from their profiles
 * instead of thousands of slow first requests.
 */
public final class AotTraining {
  private static final Duration ELECTION_TIMEOUT = Duration.ofMillis(1000);
  private static final long LEADER_WAIT_S = 60;

  private final Path scratch;
  private final int scale;
  private final PrintStream progress;

  /**
   * @param scratch an empty directory for the members' data, which the caller deletes
   * @param scale how many times over each phase runs its requests (1: about 10,000 requests)
   */
  public AotTraining(Path scratch, int scale, PrintStream progress) {
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be at least 1, not " + scale);
    }
    this.scratch = scratch;
    this.scale = scale;
    this.progress = progress;
  }

  /** Runs both phases; returns how many requests the members answered, all checked. */
  public long run() throws Exception {
    return singleMember() + cluster();
  }

  private long singleMember() throws Exception {
    Member member = Member.onFreePorts("single");
    StoreConfig config = member.config(Map.of(member.name, List.of(member.peerUrl)), scratch);
    try (StoreServer server = StoreServer.start(config)) {
      long requests = workload(List.of(member), "/training/single/");
      progress.println("aot-training: single member answered " + requests + " requests");
      return requests;
    }
  }

  private long cluster() throws Exception {
    List<Member> members = new ArrayList<>();
    Map<String, List<URI>> initialCluster = new LinkedHashMap<>();
    for (String name : List.of("m1", "m2", "m3")) {
      Member member = Member.onFreePorts(name);
      members.add(member);
      initialCluster.put(name, List.of(member.peerUrl));
    }
    List<StoreServer> servers = startAll(members, initialCluster);
    try {
      long requests = workload(members, "/training/cluster/");
      int leader = leaderIndex(servers);
      servers.get(leader).close();
      List<Member> survivors = new ArrayList<>(members);
      survivors.remove(leader);
      requests += workload(survivors, "/training/failover/");
      servers.set(leader, StoreServer.start(members.get(leader).config(initialCluster, scratch)));
      requests += workload(members, "/training/rejoined/");
      progress.println("aot-training: three members answered " + requests + " requests");
      return requests;
    } finally {
      for (StoreServer server : servers) {
        server.close();
      }
    }
  }

  /** The workload through a client of {@code members}, once a write through it succeeds. */
  private long workload(List<Member> members, String prefix) throws Exception {
    List<String> endpoints = members.stream().map(m -> m.clientUrl.toString()).toList();
    try (Client client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build()) {
      ByteSequence key = ByteSequence.from(prefix, StandardCharsets.UTF_8);
      StoreWorkload.retrying(() -> client.getKVClient().put(key, key));
      StoreWorkload workload = new StoreWorkload(client, endpoints, prefix, progress);
      workload.runAll(scale);
      return workload.requests();
    }
  }

  private List<StoreServer> startAll(List<Member> members, Map<String, List<URI>> initialCluster)
      throws Exception {
    // each start returns only once a leader is elected, so all three start at once
    List<FutureTask<StoreServer>> starts = new ArrayList<>();
    for (Member member : members) {
      StoreConfig config = member.config(initialCluster, scratch);
      FutureTask<StoreServer> start = new FutureTask<>(() -> StoreServer.start(config));
      Thread.ofPlatform().name("aot-training-start-" + member.name).start(start);
      starts.add(start);
    }
    List<StoreServer> servers = new ArrayList<>();
    Exception failed = null;
    for (var start : starts) {
      try {
        servers.add(start.get(LEADER_WAIT_S, TimeUnit.SECONDS));
      } catch (ExecutionException | TimeoutException e) {
        failed = failed == null ? e : failed;
      }
    }
    if (failed != null) {
      for (StoreServer started : servers) {
        started.close();
      }
      throw failed;
    }
    return servers;
  }

  private static int leaderIndex(List<StoreServer> servers) {
    for (int i = 0; i < servers.size(); i++) {
      var member = servers.get(i).member();
      if (member.leaderMemberId() == member.identity().memberId()) {
        return i;
      }
    }
    throw new IllegalStateException("training cluster: no member is leader");
  }

  /** One member's name and loopback URLs. */
  private record Member(String name, URI clientUrl, URI peerUrl) {
    static Member onFreePorts(String name) throws IOException {
      return new Member(name, URI.create("http://127.0.0.1:" + freePort()),
          URI.create("http://127.0.0.1:" + freePort()));
    }

    StoreConfig config(Map<String, List<URI>> initialCluster, Path scratch) {
      return new StoreConfig(name, scratch.resolve(name), List.of(clientUrl), List.of(clientUrl),
          List.of(peerUrl), List.of(peerUrl), initialCluster, "new",
          StoreConfig.CLUSTER_TOKEN_DEFAULT,
          new StoreLimits(StoreLimits.MAX_REQUEST_BYTES_DEFAULT, StoreLimits.MAX_TXN_OPS_DEFAULT,
              StoreLimits.QUOTA_BACKEND_BYTES_DEFAULT),
          1_000, StoreConfig.PROGRESS_NOTIFY_INTERVAL_DEFAULT, List.of(), ELECTION_TIMEOUT,
          AutoCompaction.OFF, io.keel.store.server.TlsFiles.NONE,
          io.keel.store.server.TlsFiles.none("--peer-"), io.keel.store.auth.Tokens.DEFAULT_TTL,
          io.keel.store.server.GrpcSettings.DEFAULT);
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      }
    }
  }
}
