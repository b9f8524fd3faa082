package io.keel.store.server;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.keel.store.apply.Alarms;
import io.keel.store.apply.Applier;
import io.keel.store.apply.Members;
import io.keel.store.auth.AuthStore;
import io.keel.store.auth.Tokens;
import io.keel.store.grpc.DirectCalls;
import io.keel.store.grpc.AuthInterceptor;
import io.keel.store.grpc.EtcdServices;
import io.keel.store.grpc.LeaderRequiredInterceptor;
import io.keel.store.grpc.MetricsInterceptor;
import io.keel.store.grpc.PeerMemberCalls;
import io.keel.store.http.ClientPortProtocols;
import io.keel.store.http.ClientPortTls;
import io.keel.store.http.HealthCheck;
import io.keel.store.metrics.MetricsHttpServer;
import io.keel.store.metrics.StoreMetrics;
import io.keel.store.lease.Lessor;
import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.mvcc.StoreError;
import io.keel.store.raft.Command;
import io.keel.store.raft.RaftNode;
import io.keel.store.raft.SnapshotSchedule;
import io.keel.store.raft.StoreStateMachine;
import io.keel.store.watch.WatchHub;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires one store member together: state, Raft, the etcd gRPC services, timers. */
public final class StoreServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreServer.class);
  private static final Duration LEADER_WAIT = Duration.ofSeconds(60);
  private static final Duration JOIN_CHECK_TIMEOUT = Duration.ofSeconds(5);
  /** etcd's {@code proberInterval}: its connection read timeout less a second. */
  private static final long PEER_PROBE_SECONDS = 4;
  /** Seconds between members' collections of the old generation after one compaction. */
  private static final int OLD_GENERATION_CHECKS_APART = 2;

  private final StoreConfig config;
  private final DataDirLock lock;
  private final RaftNode raft;
  private final LocalMember member;
  private final List<Server> grpcServers = new ArrayList<>();
  private final ScheduledExecutorService timers;
  /** This member's place in the member order all members agree on (for taking turns). */
  private final int memberPosition;
  private final ExecutorService watchExecutor;
  /** Runs gRPC calls other than writes (see {@link DirectCalls}), as gRPC's default would. */
  private final ExecutorService callExecutor;
  private final WatchHub hub;
  private final Membership membership;
  private final StoreMetrics metrics = new StoreMetrics();
  private final List<MetricsHttpServer> metricsServers = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final HealthCheck health;
  private ManagedChannel selfChannel;

  private StoreServer(StoreConfig config, DataDirLock lock) throws IOException {
    this.config = config;
    this.lock = lock;
    Clock clock = Clock.systemUTC();
    List<String> ownPeerUrls = config.initialAdvertisePeerUrls().stream().map(URI::toString)
        .toList();
    Map<String, List<String>> initialCluster = new LinkedHashMap<>();
    config.initialCluster().forEach((member, urls) ->
        initialCluster.put(member, urls.stream().map(URI::toString).toList()));
    List<String> initialSelf = initialCluster.get(config.name());
    if (initialSelf == null || MemberIdentity.memberId(ownPeerUrls, config.initialClusterToken())
        != MemberIdentity.memberId(initialSelf, config.initialClusterToken())) {
      throw new IllegalArgumentException("--initial-cluster gives member '" + config.name()
          + "' the peer URLs " + initialSelf
          + " but --initial-advertise-peer-urls is " + ownPeerUrls + "; they must match");
    }
    long clusterId = MemberIdentity.clusterId(config.initialClusterToken());
    Optional<Path> restoredSeed = SnapshotRestore.seed(config.dataDir());
    if (restoredSeed.isPresent() && !holdsMember(config.dataDir())) {
      SnapshotRestore.checkStartedAsRestored(config.dataDir(), config);
    }
    MemberIdentity identity = new MemberIdentity(
        selfId(config, ownPeerUrls, initialCluster, clusterId), clusterId);
    String selfRaftId = MemberIdentity.raftId(identity.memberId());
    List<RaftNode.Peer> peers = new ArrayList<>();
    for (Map.Entry<String, List<URI>> e : config.initialCluster().entrySet()) {
      boolean self = e.getKey().equals(config.name());
      String id = self ? selfRaftId : MemberIdentity.raftId(MemberIdentity.memberId(
          initialCluster.get(e.getKey()), config.initialClusterToken()));
      URI listen = self ? config.listenPeerUrls().get(0) : e.getValue().get(0);
      peers.add(new RaftNode.Peer(id, StoreConfig.address(listen), false));
    }
    MvccStore store = new MvccStore();
    Lessor lessor = new Lessor(clock, StoreConfig.MIN_LEASE_TTL_SECONDS);
    Applier applier = new Applier(store, lessor, new Alarms(identity.memberId()),
        new AuthStore(new Tokens(clock, config.authTokenTtl())), config.limits().quotaBackendBytes());
    WatchHub hub = new WatchHub();
    store.onRevision(hub::publish);
    List<String> memberOrder = peers.stream().map(RaftNode.Peer::id).sorted().toList();
    this.memberPosition = memberOrder.indexOf(selfRaftId);
    StoreStateMachine stateMachine = new StoreStateMachine(applier, SnapshotSchedule.forMember(
        config.snapshotCount(), memberPosition, memberOrder.size()));
    stateMachine.onBecomingLeader(lessor::refreshAll);
    restoredSeed.ifPresent(seed -> stateMachine.seedFrom(seed.toFile()));
    this.raft = new RaftNode(selfRaftId, peers, config.initialClusterToken(),
        config.dataDir().toFile(), stateMachine, config.snapshotCount(),
        config.electionTimeout(), config.initialClusterState().equals("existing"),
        config.peerTlsInUse());
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "keel-timers"));
    this.watchExecutor = Executors.newVirtualThreadPerTaskExecutor();
    AtomicInteger callThreads = new AtomicInteger();
    this.callExecutor = Executors.newCachedThreadPool(
        r -> daemon(r, "keel-grpc-" + callThreads.incrementAndGet()));
    this.member = new LocalMember(raft, applier, identity, config.limits(), callExecutor);
    this.membership = new Membership(member, config, clock);
    this.hub = hub;
    metrics.bind(member, hub);
    this.health = new HealthCheck(() -> !applier.alarms().all().isEmpty(), raft::hasLeader,
        () -> member.linearizableRead(() -> true));
    startTimers();
  }

  /** etcd's peer prober, every four seconds: round-trip times and which peers answer. */
  private void probePeers() {
    long self = member.identity().memberId();
    var prober = new PeerProber(self,
        () -> member.members().stream().map(Members.Member::id).toList(),
        id -> raft.voterTerms().currentTerm(MemberIdentity.raftId(id)), System::nanoTime,
        metrics.peerMeters(self));
    timers.scheduleWithFixedDelay(prober, 0, PEER_PROBE_SECONDS, TimeUnit.SECONDS);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * This member's id: the one {@code member add} gave it, as recorded in its data dir or, on a
   * first start with {@code --initial-cluster-state existing}, as the cluster lists it (then
   * recorded); else an initial member's, computed from its peer URLs.
   */
  private static long selfId(StoreConfig config, List<String> ownPeerUrls,
      Map<String, List<String>> initialCluster, long clusterId) {
    if (config.initialClusterState().equals("existing") && !holdsMember(config.dataDir())) {
      List<URI> otherPeers = config.initialCluster().entrySet().stream()
          .filter(e -> !e.getKey().equals(config.name()))
          .flatMap(e -> e.getValue().stream().limit(1)).toList();
      long listed = JoinCheck.check(config.name(), ownPeerUrls, clusterId, initialCluster,
          otherPeers, new PeerMemberCalls(config.peerTlsInUse()), JOIN_CHECK_TIMEOUT);
      MemberIdFile.write(config.dataDir(), listed);
      return listed;
    }
    return MemberIdFile.read(config.dataDir())
        .orElseGet(() -> MemberIdentity.memberId(ownPeerUrls, config.initialClusterToken()));
  }

  /**
   * True when {@code dataDir} already holds a member's state, so a start there restarts that
   * member instead of bootstrapping a new one.
   */
  public static boolean holdsMember(Path dataDir) {
    return RaftNode.holdsState(dataDir.toFile());
  }

  /**
   * Starts the member and returns once it serves clients, or once it learns it was removed from
   * the cluster while it was down ({@link #removed()} done; it then serves no one).
   */
  public static StoreServer start(StoreConfig config) throws IOException {
    DataDirLock lock = DataDirLock.acquire(config.dataDir());
    StoreServer server;
    try {
      server = new StoreServer(config, lock);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    try {
      server.serve();
    } catch (IOException | RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void startTimers() {
    timers.scheduleWithFixedDelay(new LeaseReaper(member), 500, 500, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(membership, 200, 500, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(new CatchUpNudge(member), 1000, 1000, TimeUnit.MILLISECONDS);
    OldGenerationLimit.serial().ifPresent(old -> timers.scheduleWithFixedDelay(
        new OldGenerationLimit(old, member.store()::releasedBytes,
            OLD_GENERATION_CHECKS_APART * memberPosition, System::nanoTime),
        1, 1, TimeUnit.SECONDS));
    AutoCompaction compaction = config.autoCompaction();
    if (compaction.mode() != AutoCompaction.Mode.OFF) {
      long tickNanos = compaction.tickInterval().toNanos();
      timers.scheduleWithFixedDelay(new AutoCompactor(compaction, Clock.systemUTC(),
              member.store()::currentRevision, raft::isLeader, this::compactAt),
          tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }
    long progressMs = config.watchProgressNotifyInterval().toMillis();
    timers.scheduleAtFixedRate(hub::progressTick, progressMs, progressMs, TimeUnit.MILLISECONDS);
  }

  /** Compacts through Raft, as a client's Compact; "compacted already" counts as done. */
  private CompletableFuture<Void> compactAt(long revision) {
    return member.write(Command.COMPACT, CompactionRequest.newBuilder().setRevision(revision)
            .build(), CompactionResponse.parser())
        .handle((response, error) -> {
          Throwable cause = error instanceof CompletionException && error.getCause() != null
              ? error.getCause() : error;
          if (cause == null
              || cause instanceof MvccException refused && refused.error() == StoreError.COMPACTED) {
            return null;
          }
          throw new CompletionException(cause);
        });
  }

  private void serve() throws IOException {
    raft.start();
    String inProcessName = "keel-" + config.name() + "-" + System.identityHashCode(this);
    selfChannel = InProcessChannelBuilder.forName(inProcessName).directExecutor().build();
    var callMetrics = new MetricsInterceptor(metrics.registry(), config.grpc().handlingTimes());
    var services = EtcdServices.bind(member, membership, hub, watchExecutor, config.dataDir(),
        selfChannel, config.peerTlsInUse(), callMetrics);
    callMetrics.preRegister(services);
    probePeers();
    awaitLeader();
    if (membership.removed().isDone()) {
      return;
    }
    var leaderRequired = new LeaderRequiredInterceptor(raft::hasLeader);
    var authTokens = new AuthInterceptor(member.auth());
    serveInProcess(inProcessName, services, callMetrics, authTokens);
    int maxHttpBody = 2 * config.limits().maxRequestBytes() + StoreLimits.GRPC_OVERHEAD_BYTES;
    var tls = config.clientTls().enabled() ? ClientPortTls.server(config.clientTls()) : null;
    GrpcSettings grpc = config.grpc();
    if (grpc.intervalBelowFloor()) {
      long floor = GrpcSettings.KEEPALIVE_INTERVAL_FLOOR.toSeconds();
      LOG.warn("--grpc-keepalive-interval {}: gRPC for Java pings a quiet connection no more"
          + " often than every {}s; pinging every {}s", grpc.keepAliveInterval(), floor, floor);
    }
    for (URI url : config.listenClientUrls()) {
      var clientPort = ClientPortProtocols.credentials(selfChannel, health, metrics::scrape,
          maxHttpBody, config.servesTls(url) ? tls : null);
      var builder = NettyServerBuilder.forAddress(StoreConfig.address(url), clientPort)
          .intercept(authTokens)
          .intercept(leaderRequired)
          .intercept(callMetrics)
          .directExecutor()
          .callExecutor(new DirectCalls(callExecutor))
          .maxInboundMessageSize(config.limits().maxRequestBytes() + StoreLimits.GRPC_OVERHEAD_BYTES)
          .permitKeepAliveTime(grpc.keepAliveMinTime().toNanos(), TimeUnit.NANOSECONDS)
          .permitKeepAliveWithoutCalls(true);
      if (grpc.serverPings()) {
        builder.keepAliveTime(grpc.keepAliveInterval().toNanos(), TimeUnit.NANOSECONDS)
            .keepAliveTimeout(grpc.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS);
      }
      services.forEach(builder::addService);
      try {
        grpcServers.add(builder.build().start());
      } catch (IOException e) {
        throw new IOException("cannot listen for clients on " + url + ": " + e.getMessage(), e);
      }
      LOG.info("ready to serve client requests on {}", url);
    }
    for (URI url : config.listenMetricsUrls()) {
      metricsServers.add(new MetricsHttpServer(StoreConfig.address(url), metrics::scrape, health));
      LOG.info("serving /metrics and /health on {}", url);
    }
  }

  /**
   * The etcd services once more, in process, for the member's own calls on them (the JSON
   * gateway on the client port, the lock and election services): they take the same path as
   * gRPC clients' (metrics included) without leaving the JVM.
   */
  private void serveInProcess(String name, List<ServerServiceDefinition> services,
      MetricsInterceptor callMetrics, AuthInterceptor authTokens) throws IOException {
    var builder = InProcessServerBuilder.forName(name)
        .intercept(authTokens)
        .intercept(callMetrics)
        .directExecutor()
        .callExecutor(new DirectCalls(callExecutor));
    services.forEach(builder::addService);
    grpcServers.add(builder.build().start());
  }

  /** Waits for a leader, or until this member learns it was removed and will get none. */
  private void awaitLeader() throws IOException {
    Instant deadline = Instant.now().plus(LEADER_WAIT);
    while (!raft.hasLeader() && !membership.removed().isDone()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("no Raft leader elected within " + LEADER_WAIT.toSeconds() + "s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for a leader", e);
      }
    }
  }

  /** Completes once this member learns it was removed from the cluster ({@code member remove}). */
  public CompletableFuture<Void> removed() {
    return membership.removed();
  }

  public LocalMember member() {
    return member;
  }

  public List<URI> clientUrls() {
    return config.advertiseClientUrls();
  }

  /** Stops serving and closes the member; a second call does nothing. */
  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    metricsServers.forEach(MetricsHttpServer::close);
    if (selfChannel != null) {
      selfChannel.shutdownNow();
    }
    for (Server s : grpcServers) {
      s.shutdown();
    }
    for (Server s : grpcServers) {
      try {
        if (!s.awaitTermination(1, TimeUnit.SECONDS)) {
          s.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        s.shutdownNow();
      }
    }
    timers.shutdownNow();
    watchExecutor.shutdownNow();
    callExecutor.shutdown();
    try {
      raft.close();
    } finally {
      lock.close();
      LOG.info("store member {} stopped", config.name());
    }
  }
}
