package io.keel.store.raft;

import com.google.protobuf.MessageLite;
import io.keel.store.mvcc.StoreError;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * This member's Raft server. Requests are handed to the local Ratis server in-process (no client
 * hop); the log is fsynced before an entry commits, and many concurrent writes share one flush.
 */
public final class RaftNode implements AutoCloseable {
  /** One peer of the group: its etcd name and the address it listens on for Raft traffic. */
  public record Peer(String name, InetSocketAddress address) {}

  private final RaftServer server;
  private final RaftGroup group;
  private final RaftPeerId selfId;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final File raftDir;

  public RaftNode(String name, List<Peer> peers, String clusterToken, File dataDir,
      StoreStateMachine stateMachine, int snapshotEveryEntries) throws IOException {
    this.selfId = RaftPeerId.valueOf(name);
    List<RaftPeer> raftPeers = peers.stream()
        .map(p -> RaftPeer.newBuilder().setId(p.name())
            .setAddress(p.address().getHostString() + ":" + p.address().getPort()).build())
        .toList();
    UUID groupUuid = UUID.nameUUIDFromBytes(clusterToken.getBytes(StandardCharsets.UTF_8));
    this.group = RaftGroup.valueOf(RaftGroupId.valueOf(groupUuid), raftPeers);
    Peer self = peers.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "--initial-cluster has no member named " + name));

    RaftProperties props = new RaftProperties();
    this.raftDir = new File(dataDir, "raft");
    RaftServerConfigKeys.setStorageDir(props, List.of(raftDir));
    GrpcConfigKeys.Server.setHost(props, self.address().getHostString());
    GrpcConfigKeys.Server.setPort(props, self.address().getPort());
    GrpcConfigKeys.setMessageSizeMax(props, SizeInBytes.valueOf("16MB"));
    RaftServerConfigKeys.Log.setWriteBufferSize(props, SizeInBytes.valueOf("9MB"));
    RaftServerConfigKeys.Log.setSegmentSizeMax(props, SizeInBytes.valueOf("32MB"));
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(props, SizeInBytes.valueOf("8MB"));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, snapshotEveryEntries);
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, 2);
    RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));

    boolean existing = new File(raftDir, groupUuid.toString()).exists();
    this.server = RaftServer.newBuilder()
        .setServerId(selfId)
        .setGroup(group)
        .setStateMachine(stateMachine)
        .setProperties(props)
        .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
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

  /** Proposes a command; completes with the applied result's response bytes. */
  public CompletableFuture<byte[]> propose(Command command, MessageLite request) {
    return submit(tagged(command, request), RaftClientRequest.writeRequestType());
  }

  /** A linearizable read through ReadIndex; the state machine's query answers it. */
  public CompletableFuture<byte[]> read(Command command, MessageLite request) {
    return submit(tagged(command, request), RaftClientRequest.readRequestType());
  }

  private static byte[] tagged(Command command, MessageLite request) {
    byte[] body = request.toByteArray();
    byte[] entry = new byte[body.length + 1];
    entry[0] = command.tag();
    System.arraycopy(body, 0, entry, 1, body.length);
    return entry;
  }

  private CompletableFuture<byte[]> submit(byte[] payload, RaftClientRequest.Type type) {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(selfId)
        .setGroupId(group.getGroupId())
        .setCallId(callIds.incrementAndGet())
        .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(payload)))
        .setType(type)
        .build();
    try {
      return server.submitClientRequestAsync(request).thenApply(RaftNode::result);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static byte[] result(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      if (reply.getNotLeaderException() != null) {
        throw StoreError.NO_LEADER.exception();
      }
      throw StoreError.STOPPED.exception();
    }
    return Results.unwrap(reply.getMessage().getContent().toByteArray());
  }

  private RaftServer.Division division() {
    try {
      return server.getDivision(group.getGroupId());
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

  public String leaderName() {
    RaftPeerId leader = division().getInfo().getLeaderId();
    return leader == null ? null : leader.toString();
  }

  public long term() {
    return division().getInfo().getCurrentTerm();
  }

  public long appliedIndex() {
    return division().getInfo().getLastAppliedIndex();
  }

  public long commitIndex() {
    var log = division().getRaftLog();
    return log.getLastCommittedIndex();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

}
