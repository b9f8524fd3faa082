package io.keel.store.raft;

import com.google.protobuf.MessageLite;
import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.StoreError;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.api.AdminApi;
import io.keel.store.server.TlsFiles;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.LogEntryProto.LogEntryBodyCase;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.TransferLeadershipException;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.LogEntryHeader;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * This member's Raft server. On the leader, requests are handed to the local Ratis server
 * in-process (no client hop); on a follower, writes are forwarded to the leader (see {@link
 * Forwarder}). Linearizable reads wait for shared read rounds ({@link ReadRounds}). The log is
 * fsynced before an entry commits; concurrent writes share a flush.
 */
public final class RaftNode implements AutoCloseable {
  /** One peer: its Raft id (etcd's member id, in hex) and the address it takes Raft traffic on. */
  public record Peer(String id, InetSocketAddress address, boolean learner) {
    RaftPeer toRaftPeer() {
      String hostPort = address.getHostString() + ":" + address.getPort();
      return RaftPeer.newBuilder().setId(id).setAddress(hostPort).setClientAddress(hostPort)
          .setAdminAddress(hostPort).build();
    }
  }

  private static final TimeDuration ADMIN_TIMEOUT = TimeDuration.valueOf(5, TimeUnit.SECONDS);
  /**
   * Log entries appended and not yet applied before further writes queue into a batch. One did
   * better than two on a 2-core machine (8,000 against 7,200 puts/s at 100 clients, 81 against
   * 95 µs of server CPU per put): the next batch grows while the last one is fsynced and applied.
   */
  static final int BATCH_MAX_IN_FLIGHT = 1;
  /** Request bytes one batch entry carries at most (a larger request is still logged alone). */
  static final int BATCH_MAX_BYTES = 1 << 20;
  /**
   * How many times per {@code --snapshot-count} log entries Ratis asks the state machine whether a
   * snapshot is due (it is due after that many applied requests, which batches reach sooner).
   */
  static final int SNAPSHOT_CHECKS_PER_COUNT = 100;

  private final RaftServer server;
  private final PeerPortService peerPort = new PeerPortService();
  private final RaftGroupId groupId;
  private final RaftPeerId selfId;
  private final RaftProperties props;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final File raftDir;
  /**
   * How often, and how long apart at most, a request a new leader refused as not ready yet (its
   * first entry of the term not applied) is tried again; {@link LeaderEvents} wakes it sooner.
   */
  static final int NOT_READY_TRIES = 20;
  static final long NOT_READY_RETRY_MILLIS = 100;
  /** How many times a write refused before it was appended is routed again (see propose). */
  static final int REROUTE_TRIES = 5;

  /*
   * Keel keeps its own work off the common ForkJoinPool: a Ratis follower appends every entry
   * through it (ServerImplUtils.append, thenComposeAsync), and on a two-core machine it has one
   * thread, so a blocked task there stops this member's log. A follower that asked for a
   * configuration change then waited, on that thread, for a change that needed its own append.
   */
  private final ExecutorService leaderEventRunner = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().daemon().name("keel-leader-events").factory());
  private final ExecutorService adminCalls = Executors.newCachedThreadPool(
      Thread.ofPlatform().daemon().name("keel-raft-admin-", 1).factory());
  /** How often, and how far apart, an admin request the leader refused is sent again. */
  private static final RetryPolicy ADMIN_RETRIES =
      RetryPolicies.retryUpToMaximumCountWithFixedSleep(100, TimeDuration.valueOf(100,
          TimeUnit.MILLISECONDS));
  private final LeaderEvents leaderEvents = new LeaderEvents(leaderEventRunner);
  private final java.util.function.LongSupplier leaderChangesSeen;
  /** Ratis's parameters: the peer-port customizer and the peer TLS, for the server and admin client. */
  private final Parameters parameters;
  private final ProposalBatcher batcher = new ProposalBatcher(
      entry -> submitWhenReady(entry, RaftClientRequest.writeRequestType())
          .thenApply(RaftNode::encoded),
      BATCH_MAX_IN_FLIGHT, BATCH_MAX_BYTES);
  private static final byte[] READ_INDEX_ROUND = {Command.READ_INDEX.tag()};
  /** How far back from a commit index to look for an entry other than Ratis's metadata. */
  private static final long METADATA_LOOKBACK = 8;
  /** How long a read round waits for a majority, or to apply its index here, before it fails. */
  static final Duration READ_ROUND_TIMEOUT = Duration.ofSeconds(10);
  private final ReadRounds readRounds;
  private volatile VoterTerms voterTerms =
      voter -> CompletableFuture.failedFuture(StoreError.NO_LEADER.exception());
  private volatile Forwarder forwarder =
      entry -> CompletableFuture.failedFuture(StoreError.NO_LEADER.exception());
  /**
   * A follower's writes, batched the same way, then forwarded to the leader as one entry; one
   * batcher per leader, so that writes after a leader change never queue behind batches still
   * waiting on the old leader.
   */
  private final AtomicReference<ForwardBatcher> forwarded = new AtomicReference<>();

  private record ForwardBatcher(String leader, ProposalBatcher batcher) {}

  /**
   * @param joining true for {@code --initial-cluster-state existing}: a fresh member starts with
   *     no configuration and waits for the leader to add it, as Ratis expects of new peers
   */
  public RaftNode(String selfId, List<Peer> peers, String clusterToken, File dataDir,
      StoreStateMachine stateMachine, int snapshotEveryEntries, Duration electionTimeout,
      boolean joining, TlsFiles peerTls) throws IOException {
    this.selfId = RaftPeerId.valueOf(selfId);
    UUID groupUuid = UUID.nameUUIDFromBytes(clusterToken.getBytes(StandardCharsets.UTF_8));
    this.groupId = RaftGroupId.valueOf(groupUuid);
    Peer self = peers.stream().filter(p -> p.id().equals(selfId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("this member is not in the cluster"));
    boolean soleVoter = !joining && peers.stream().filter(p -> !p.learner()).count() == 1;
    this.props = properties(dataDir, self.address(), snapshotEveryEntries, electionTimeout,
        soleVoter);
    stateMachine.onLeaderEvent(leaderEvents::fire);
    this.leaderChangesSeen = stateMachine::leaderChangesSeen;
    this.readRounds = new ReadRounds(new RoundMember(), stateMachine.readMarks(),
        stateMachine.appliedWaiters(), READ_ROUND_TIMEOUT);
    this.raftDir = new File(dataDir, "raft");
    boolean existing = new File(raftDir, groupUuid.toString()).exists();
    RaftGroup group = joining && !existing
        ? RaftGroup.valueOf(groupId)
        : RaftGroup.valueOf(groupId, peers.stream().filter(p -> !p.learner())
            .map(Peer::toRaftPeer).toList());
    this.parameters = new Parameters();
    GrpcConfigKeys.Server.setServicesCustomizer(parameters, peerPort);
    if (peerTls.enabled()) {
      // one configuration for Ratis's server, its calls to the other members and its admin client
      GrpcTlsConfig tls = new GrpcTlsConfig(peerTls.keyFile().toFile(),
          peerTls.certFile().toFile(),
          peerTls.trustedCaFile() == null ? null : peerTls.trustedCaFile().toFile(),
          peerTls.clientCertAuth());
      GrpcConfigKeys.Server.setTlsConf(parameters, tls);
      GrpcConfigKeys.Admin.setTlsConf(parameters, tls);
      GrpcConfigKeys.Client.setTlsConf(parameters, tls);
    }
    this.server = RaftServer.newBuilder()
        .setServerId(this.selfId)
        .setGroup(group)
        .setStateMachine(stateMachine)
        .setProperties(props)
        .setParameters(parameters)
        .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
  }

  /** Keel's call on this member's peer port ({@link PeerPortService}). */
  public PeerPortService peerPort() {
    return peerPort;
  }

  /** True when {@code dataDir} holds a Raft group from an earlier start (of any cluster). */
  public static boolean holdsState(File dataDir) {
    String[] groups = new File(dataDir, "raft").list();
    return groups != null && groups.length > 0;
  }

  private static RaftProperties properties(File dataDir, InetSocketAddress listen,
      int snapshotEveryEntries, Duration electionTimeout, boolean soleVoter) {
    RaftProperties props = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(props, List.of(new File(dataDir, "raft")));
    GrpcConfigKeys.Server.setHost(props, listen.getHostString());
    GrpcConfigKeys.Server.setPort(props, listen.getPort());
    GrpcConfigKeys.setMessageSizeMax(props, SizeInBytes.valueOf("16MB"));
    // One channel per follower for heartbeats and entries: with a separate heartbeat channel a
    // restarted follower answers heartbeats while the entry channel sits in gRPC's reconnect
    // backoff (up to two minutes), and the follower does not catch up.
    GrpcConfigKeys.Server.setHeartbeatChannel(props, false);
    RaftServerConfigKeys.Log.setWriteBufferSize(props, SizeInBytes.valueOf("9MB"));
    RaftServerConfigKeys.Log.setSegmentSizeMax(props, SizeInBytes.valueOf("8MB"));
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(props, SizeInBytes.valueOf("8MB"));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
    // Purge at every snapshot: Ratis's default waits for 1024 more log entries, and a batch entry
    // holds many requests, so the log would outgrow --snapshot-count many times over.
    RaftServerConfigKeys.Log.setPurgeGap(props, 1);
    // Ratis backs off to 5 s between attempts to reach a follower that has been down a while;
    // a restarted follower should catch up within a heartbeat or two.
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(props, "1ms,10, 100ms,20, 300ms,100000000");
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
    // --snapshot-count counts requests, and a batch entry holds many: Ratis asks the state
    // machine often enough, and the state machine snapshots once that many requests applied.
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props,
        Math.max(1, snapshotEveryEntries / SNAPSHOT_CHECKS_PER_COUNT));
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, 2);
    RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // After each commit Ratis's leader appends an entry holding the commit index. Followers learn
    // of the commit from it at once, not at the next heartbeat, so clusters keep it. A lone
    // member has no one to tell, and the entry cost it a second write and fsync per commit, in
    // the way of the next write (docs/store.md, "Request path").
    RaftServerConfigKeys.Log.setLogMetadataEnabled(props, !soleVoter);
    // Ratis keeps each request's reply for a client that retries with the same call id; Keel
    // gives every submission a new one, so the cache only kept ~600 bytes per write for a minute.
    RaftServerConfigKeys.RetryCache.setExpiryTime(props, TimeDuration.ZERO);
    // etcd campaigns once a randomized wait in [timeout, 2 x timeout) has passed since the last
    // heartbeat, about 1.4 x timeout after a leader dies. A Ratis follower instead sleeps a
    // randomized wait and only then looks whether the leader was silent for all of it, so a
    // leader's death is seen after the rest of one wait plus a whole next one. Waits in
    // [0.7, 1.4] x timeout give the same mean as etcd's (docs/store.md, "Elections").
    long timeoutMs = electionTimeout.toMillis();
    RaftServerConfigKeys.Rpc.setTimeoutMin(props,
        TimeDuration.valueOf(timeoutMs * 7 / 10, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(props,
        TimeDuration.valueOf(timeoutMs * 14 / 10, TimeUnit.MILLISECONDS));
    // A (re)started member need not sit out a full election timeout before its first election.
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(props,
        TimeDuration.valueOf(150, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(props,
        TimeDuration.valueOf(400, TimeUnit.MILLISECONDS));
    RaftClientConfigKeys.Rpc.setRequestTimeout(props, ADMIN_TIMEOUT);
    return props;
  }

  /**
   * Starts the Raft server: loads the latest snapshot and replays the log after it.
   *
   * @throws IOException naming the file when the snapshot or a log segment is corrupt
   */
  public void start() throws IOException {
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      var corrupt = LogSegmentCheck.findCorruptSegment(raftDir);
      if (corrupt.isPresent()) {
        throw new IOException(corrupt.get(), e);
      }
      throw e;
    }
  }

  /** Sends a tagged log entry to the leader and returns its encoded result. */
  @FunctionalInterface
  public interface Forwarder {
    CompletableFuture<byte[]> forward(byte[] entry);
  }

  /** How a follower reaches the leader; set once at wiring time. */
  public void setForwarder(Forwarder forwarder) {
    this.forwarder = forwarder;
  }

  /** Asks another voter for its current Raft term. */
  @FunctionalInterface
  public interface VoterTerms {
    CompletableFuture<Long> currentTerm(String voterId);
  }

  /** How this member asks another member for its term (also a probe of its peer port). */
  public VoterTerms voterTerms() {
    return voterTerms;
  }

  /** How the leader asks the other voters for their term; set once at wiring time. */
  public void setVoterTerms(VoterTerms voterTerms) {
    this.voterTerms = voterTerms;
  }

  /**
   * Proposes a command; completes with the applied result's response bytes. On the leader the
   * entry goes straight into the local log; a follower forwards it to the leader. A request from
   * a caller with a token goes with the caller ({@link CallerEntries}), whose permissions are
   * checked when it is applied; one without a token is logged as it is.
   */
  public CompletableFuture<byte[]> propose(io.keel.store.auth.Caller caller, Command command,
      MessageLite request) {
    byte[] tagged = tagged(command, request);
    byte[] entry = caller.equals(io.keel.store.auth.Caller.ANONYMOUS) ? tagged
        : CallerEntries.wrap(caller, tagged);
    CompletableFuture<byte[]> encoded = leaderEvents.retry(() -> route(entry),
        (bytes, error) -> error != null && refusedBeforeAppend(error),
        REROUTE_TRIES, NOT_READY_RETRY_MILLIS);
    return encoded.thenApply(Results::unwrap);
  }

  private CompletableFuture<byte[]> route(byte[] entry) {
    return isLeader() ? proposeLocal(entry) : forwardBatcher().propose(entry);
  }

  /**
   * NO_LEADER from the write path means the entry was refused before it was appended (a leader
   * not ready yet, stepping down or handing leadership over, or no leader known), so it is safe
   * to send it again, to whoever leads by then.
   */
  public static boolean refusedBeforeAppend(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return cause instanceof MvccException e && e.error() == StoreError.NO_LEADER;
  }

  private ProposalBatcher forwardBatcher() {
    String leader = leaderId();
    ForwardBatcher current = forwarded.get();
    if (current == null || !Objects.equals(current.leader(), leader)) {
      forwarded.compareAndSet(current, new ForwardBatcher(leader, new ProposalBatcher(
          entry -> forwarder.forward(entry), BATCH_MAX_IN_FLIGHT, BATCH_MAX_BYTES)));
      current = forwarded.get();
    }
    return current.batcher();
  }

  /**
   * Appends an entry to the local log as leader and completes with its encoded result ({@link
   * Results}), never with an application error. Concurrent entries share a log entry ({@link
   * ProposalBatcher}); each still gets its own revision and result.
   *
   * @throws io.keel.store.mvcc.MvccException LEADER_CHANGED (as a failed future) when this member
   *     is not the leader or stopped being it before the entry committed
   */
  public CompletableFuture<byte[]> proposeLocal(byte[] entry) {
    return batcher.propose(entry);
  }

  /**
   * Completes once this member has applied every write acknowledged before the call, so that a
   * linearizable read can then answer from local state. Concurrent callers share rounds ({@link
   * ReadRounds}).
   *
   * @throws io.keel.store.mvcc.MvccException (as a failed future) NO_LEADER, LEADER_CHANGED or
   *     TIMEOUT when the round fails
   */
  public CompletableFuture<Void> readBarrier() {
    return readRounds.barrier();
  }

  /**
   * The leader's side of forwarding: a follower's read-index request gets a confirmed read index,
   * anything else is a tagged entry to append ({@link #proposeLocal}).
   */
  public CompletableFuture<byte[]> serveForwarded(byte[] entry) {
    return ReadRounds.isReadIndexRequest(entry) ? readRounds.serveFollower(entry)
        : proposeLocal(entry);
  }

  /** What {@link ReadRounds} needs of this member. */
  private final class RoundMember implements ReadRounds.Member {
    @Override
    public boolean alone() {
      return division().getRaftConf().getAllPeers().size() <= 1;
    }

    @Override
    public boolean isLeader() {
      return RaftNode.this.isLeader();
    }

    @Override
    public long term() {
      return RaftNode.this.term();
    }

    @Override
    public long commitIndex() {
      return RaftNode.this.commitIndex();
    }

    @Override
    public long lastStateChange(long index) {
      RaftLog log = division().getRaftLog();
      long from = Math.max(log.getStartIndex(), index - METADATA_LOOKBACK);
      LogEntryHeader[] headers = log.getEntries(from, index + 1);
      for (int i = headers.length - 1; i >= 0; i--) {
        if (headers[i] == null) {
          break;
        }
        if (headers[i].getLogEntryBodyCase() != LogEntryBodyCase.METADATAENTRY) {
          return headers[i].getIndex();
        }
      }
      return index;
    }

    @Override
    public String selfId() {
      return RaftNode.this.selfId();
    }

    @Override
    public Optional<ReadRounds.Leadership> leadership() {
      var division = division();
      var info = division.getInfo();
      var conf = division.getRaftConf();
      if (!info.isLeader() || !info.isLeaderReady() || !conf.getPreviousPeers().isEmpty()) {
        return Optional.empty();
      }
      long term = info.getCurrentTerm();
      long commit = division.getRaftLog().getLastCommittedIndex();
      List<String> others = conf.getCurrentPeers().stream().map(p -> p.getId())
          .filter(id -> !id.equals(selfId)).map(RaftPeerId::toString).toList();
      return Optional.of(new ReadRounds.Leadership(term, commit, conf.getLogEntryIndex(), others));
    }

    @Override
    public CompletableFuture<Long> termOf(String voter) {
      try {
        return voterTerms.currentTerm(voter);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public CompletableFuture<Void> ratisReadIndex() {
      return submitWhenReady(READ_INDEX_ROUND, RaftClientRequest.readRequestType())
          .thenApply(reply -> {
            encoded(reply);
            return null;
          });
    }

    @Override
    public CompletableFuture<Void> appendLocal(byte[] entry) {
      return proposeLocal(entry).thenApply(result -> {
        Results.unwrap(result);
        return null;
      });
    }

    @Override
    public CompletableFuture<byte[]> askLeader(byte[] request) {
      return forwarder.forward(request);
    }
  }

  private static byte[] tagged(Command command, MessageLite request) {
    byte[] body = request.toByteArray();
    byte[] entry = new byte[body.length + 1];
    entry[0] = command.tag();
    System.arraycopy(body, 0, entry, 1, body.length);
    return entry;
  }

  private static Message message(byte[] payload) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(payload));
  }

  /** Wakes on leader changes and on a new leader becoming ready. */
  public LeaderEvents leaderEvents() {
    return leaderEvents;
  }

  /**
   * Submits to the local division; a new leader that is not ready yet refuses before appending,
   * so such a request is tried again when it is, as etcd's new leader takes proposals at once.
   */
  private CompletableFuture<RaftClientReply> submitWhenReady(byte[] payload,
      RaftClientRequest.Type type) {
    return leaderEvents.retry(() -> submitLocal(payload, type),
        (reply, error) -> reply != null && reply.getLeaderNotReadyException() != null,
        NOT_READY_TRIES, NOT_READY_RETRY_MILLIS);
  }

  private CompletableFuture<RaftClientReply> submitLocal(byte[] payload,
      RaftClientRequest.Type type) {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(selfId)
        .setGroupId(groupId)
        .setCallId(callIds.incrementAndGet())
        .setMessage(message(payload))
        .setType(type)
        .build();
    try {
      return ((RaftClientAsynchronousProtocol) division()).submitClientRequestAsync(request);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static byte[] encoded(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      if (reply.getNotLeaderException() != null) {
        throw StoreError.LEADER_CHANGED.exception();
      }
      if (reply.getLeaderNotReadyException() != null
          || reply.getException() instanceof LeaderSteppingDownException
          || reply.getException() instanceof TransferLeadershipException) {
        throw StoreError.NO_LEADER.exception();
      }
      throw StoreError.TIMEOUT.exception();
    }
    return reply.getMessage().getContent().toByteArray();
  }

  private RaftGroup currentGroup() {
    var conf = division().getRaftConf();
    List<RaftPeer> all = new java.util.ArrayList<>(conf.getAllPeers(RaftPeerRole.FOLLOWER));
    all.addAll(conf.getAllPeers(RaftPeerRole.LISTENER));
    return RaftGroup.valueOf(groupId, all);
  }

  /** Replaces the voting members (and learners, as Ratis listeners) with the given ones. */
  public CompletableFuture<Void> setConfiguration(List<Peer> voters, List<Peer> learners) {
    return adminCall(admin -> admin.setConfiguration(
        voters.stream().map(Peer::toRaftPeer).toList(),
        learners.stream().map(Peer::toRaftPeer).toList()));
  }

  /** Asks the leader to hand leadership to {@code target}. */
  public CompletableFuture<Void> transferLeadership(String target) {
    return adminCall(admin -> admin.transferLeadership(RaftPeerId.valueOf(target), 10_000));
  }

  @FunctionalInterface
  private interface AdminCall {
    RaftClientReply call(AdminApi admin) throws IOException;
  }

  /** Runs one Ratis admin request against the current group and leader, off the caller. */
  private CompletableFuture<Void> adminCall(AdminCall call) {
    return CompletableFuture.runAsync(() -> {
      try (RaftClient client = RaftClient.newBuilder().setProperties(props)
          .setParameters(parameters).setRaftGroup(currentGroup()).setLeaderId(division().getInfo().getLeaderId())
          .setRetryPolicy(ADMIN_RETRIES).build()) {
        RaftClientReply reply = call.call(client.admin());
        if (!reply.isSuccess()) {
          throw new CompletionException(reply.getException());
        }
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, adminCalls);
  }

  private RaftServer.Division division() {
    try {
      return server.getDivision(groupId);
    } catch (IOException e) {
      throw StoreError.STOPPED.exception();
    }
  }

  public boolean isLeader() {
    return division().getInfo().isLeader();
  }

  public boolean hasLeader() {
    var info = division().getInfo();
    return info.isLeader() ? info.isLeaderReady() : info.getLeaderId() != null;
  }

  /** The leader's Raft id (etcd member id in hex), or null while there is none. */
  public String leaderId() {
    RaftPeerId leader = division().getInfo().getLeaderId();
    return leader == null ? null : leader.toString();
  }

  public String selfId() {
    return selfId.toString();
  }

  /** Raft ids of the current voting members. */
  public List<String> configuredVoters() {
    return division().getRaftConf().getAllPeers(RaftPeerRole.FOLLOWER).stream()
        .map(p -> p.getId().toString()).toList();
  }

  /** Raft ids of the current learners (Ratis listeners). */
  public List<String> configuredLearners() {
    return division().getRaftConf().getAllPeers(RaftPeerRole.LISTENER).stream()
        .map(p -> p.getId().toString()).toList();
  }

  /**
   * On the leader, the lowest match index (the last entry the leader knows a follower holds)
   * among the followers that answered within {@code withinMillis}; {@link Long#MAX_VALUE} when
   * there is none or this member is not the leader. The commit index a follower reports is no
   * use here: in a stall seen on 2026-11-27 the nudge fed with it never fired.
   */
  public long lowestAnsweringFollowerMatch(long withinMillis) {
    if (!isLeader()) {
      return Long.MAX_VALUE;
    }
    var info = division().getInfo();
    var role = info.getRoleInfoProto();
    long[] matched = info.getFollowerMatchIndices();
    if (!role.hasLeaderInfo() || matched == null
        || matched.length != role.getLeaderInfo().getFollowerInfoCount()) {
      return Long.MAX_VALUE;  // not leading, or the followers changed between the two reads
    }
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < matched.length; i++) {
      if (role.getLeaderInfo().getFollowerInfo(i).getLastRpcElapsedTimeMs() < withinMillis) {
        lowest = Math.min(lowest, matched[i]);
      }
    }
    return lowest;
  }

  /**
   * The voters that answer now: this member, and each other voter that answers a fresh question
   * for its term (on its peer port) within {@code within} and whose Raft replies reached this
   * member, as leader, within the same time. A member that just stopped is not counted, however
   * recently it answered before.
   */
  public CompletableFuture<Set<String>> reachableVoters(Duration within) {
    Set<String> raftAnswering = answeringFollowers(within.toMillis());
    List<String> voters = configuredVoters();
    Set<String> reachable = ConcurrentHashMap.newKeySet();
    reachable.add(selfId.toString());
    List<CompletableFuture<?>> asks = new ArrayList<>();
    for (String voter : voters) {
      if (!voter.equals(selfId.toString()) && raftAnswering.contains(voter)) {
        asks.add(voterTerms.currentTerm(voter)
            .orTimeout(within.toMillis(), TimeUnit.MILLISECONDS)
            .handle((term, error) -> error == null && reachable.add(voter)));
      }
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(v -> Set.copyOf(reachable));
  }

  /**
   * On the leader, the Raft ids of the followers (voters and learners) that answered within
   * {@code withinMillis}; empty when this member is not the leader.
   */
  public Set<String> answeringFollowers(long withinMillis) {
    var role = division().getInfo().getRoleInfoProto();
    Set<String> answering = new HashSet<>();
    if (role.hasLeaderInfo()) {
      for (var follower : role.getLeaderInfo().getFollowerInfoList()) {
        if (follower.getLastRpcElapsedTimeMs() < withinMillis) {
          answering.add(follower.getId().getId().toStringUtf8());
        }
      }
    }
    return answering;
  }

  public long term() {
    return division().getInfo().getCurrentTerm();
  }

  public long appliedIndex() {
    return division().getInfo().getLastAppliedIndex();
  }

  public long commitIndex() {
    return division().getRaftLog().getLastCommittedIndex();
  }

  /** How many times this member saw a new leader since it started. */
  public long leaderChangesSeen() {
    return leaderChangesSeen.getAsLong();
  }

  /**
   * Tells {@code listener} how long each write and fsync of this member's Raft log took, in
   * nanoseconds (etcd's WAL fsync), until the node closes. Called on Ratis's log worker.
   */
  public void onLogSync(LongConsumer listener) {
    SilentRatisMetrics.onLogSync(RaftGroupMemberId.valueOf(selfId, groupId), listener);
  }

  @Override
  public void close() throws IOException {
    SilentRatisMetrics.onLogSync(RaftGroupMemberId.valueOf(selfId, groupId), null);
    server.close();
    adminCalls.shutdownNow();
    leaderEventRunner.shutdownNow();
  }

}
