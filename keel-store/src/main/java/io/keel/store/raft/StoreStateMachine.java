package io.keel.store.raft;

import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.Member;
import io.keel.store.apply.Applier;
import io.keel.store.apply.Applier.MemberChange;
import io.keel.store.auth.Caller;
import io.keel.store.auth.RequestPermissions;
import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.StoreError;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Ratis state machine: decodes a log entry, hands it to the {@link Applier}, returns the
 * encoded result. A refused request is a result; nothing here throws for an application error.
 */
public final class StoreStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(StoreStateMachine.class);

  private final Applier applier;
  private final AuthEntries authEntries;
  private final SnapshotSchedule snapshots;
  private final SnapshotFiles storage = new SnapshotFiles();
  private final ReadMarks readMarks = new ReadMarks();
  private final AppliedWaiters appliedWaiters = new AppliedWaiters();
  private final ExecutorService snapshotWriter = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "keel-snapshot-writer");
    t.setDaemon(true);
    return t;
  });
  private final SnapshotPacer pacer = SnapshotPacer.ofCurrentThread(SnapshotPacer.configuredShare());
  private volatile Runnable onLeader = () -> {};
  private volatile Runnable onLeaderEvent = () -> {};
  private final AtomicReference<RaftPeerId> lastLeader = new AtomicReference<>();
  private final AtomicLong leaderChangesSeen = new AtomicLong();
  private volatile File seed;
  private volatile CompletableFuture<Void> inProgress;
  private volatile long lastStartedIndex = -1;
  private volatile long lastCompletedIndex = -1;
  private long lastReportedIndex = -1;
  /** Requests applied since start (each request of a batch counts), on the apply thread. */
  private long appliedRequests;
  /** Their bytes as logged, on the apply thread. */
  private long appliedBytes;

  /**
   * @param snapshots when to snapshot, counting applied requests as etcd's {@code
   *     --snapshot-count} does (a batch entry counts each of its requests; Ratis must ask at
   *     least every that many log entries, see {@link RaftNode})
   */
  public StoreStateMachine(Applier applier, SnapshotSchedule snapshots) {
    this.applier = applier;
    this.authEntries = new AuthEntries(applier.auth(), applier.store());
    this.snapshots = snapshots;
  }

  /** Runs when this member becomes the leader (leases get a fresh TTL, as in etcd). */
  public void onBecomingLeader(Runnable action) {
    this.onLeader = action;
  }

  /** Runs, on a Raft thread, when a leader becomes known and when this member's leadership is ready. */
  /** How many times this member saw a new leader (etcd's {@code leader_changes_seen_total}). */
  long leaderChangesSeen() {
    return leaderChangesSeen.get();
  }

  void onLeaderEvent(Runnable action) {
    this.onLeaderEvent = action;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage); // finds the latest snapshot
    getLifeCycle().startAndTransition(() -> {
      SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
      if (latest == null && seed != null) {
        loadSeed(seed);
      } else {
        loadSnapshot(latest);
      }
    }, IOException.class);
  }

  /**
   * Starts from {@code file} (a restored data dir's seed, {@code keel snapshot restore}) as the
   * state before the first log entry, while this member has no snapshot of its own.
   */
  public void seedFrom(File file) {
    this.seed = file;
  }

  private void loadSeed(File file) throws IOException {
    try (InputStream in = Files.newInputStream(file.toPath())) {
      SnapshotFormat.read(in, file.getPath(), applier.store(), applier.lessor(), applier.alarms(),
          applier.members(), applier.auth());
    }
    LOG.info("started from restored snapshot {} at revision {}", file,
        applier.store().currentRevision());
  }

  /**
   * Ratis pauses the state machine before it installs a snapshot sent by the leader, and checks
   * that it is paused before reloading it ({@link #reinitialize}); a state machine that did not
   * pause made that check fail, which closed the member.
   */
  @Override
  public void pause() {
    LifeCycle lifeCycle = getLifeCycle();
    if (lifeCycle.getCurrentState() == LifeCycle.State.RUNNING) {
      lifeCycle.transition(LifeCycle.State.PAUSING);
      lifeCycle.transition(LifeCycle.State.PAUSED);
    }
  }

  /**
   * Replaces the whole state with the newest snapshot's, after a snapshot install; Ratis calls it
   * only on a state machine it has {@link #pause paused}.
   */
  @Override
  public void reinitialize() throws IOException {
    getLifeCycle().startAndTransition(() -> loadSnapshot(storage.loadLatestSnapshot()),
        IOException.class);
  }

  private void loadSnapshot(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    File file = snapshot.getFile().getPath().toFile();
    try (InputStream in = Files.newInputStream(file.toPath())) {
      SnapshotFormat.read(in, file.getPath(), applier.store(), applier.lessor(), applier.alarms(),
          applier.members(), applier.auth());
    }
    setLastAppliedTermIndex(snapshot.getTermIndex());
    appliedWaiters.advance(snapshot.getIndex());
    lastStartedIndex = snapshot.getIndex();
    lastCompletedIndex = snapshot.getIndex();
    snapshots.snapshotIs(file.length());
    LOG.info("loaded snapshot {} at revision {}", file, applier.store().currentRevision());
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  /**
   * Called by Ratis on the apply thread. Captures the state (cheap: the MVCC store is
   * multi-version) and writes the file on a background thread, so applying never waits for a
   * snapshot. Returns the index of the newest snapshot that is complete on disk; Ratis purges
   * the log only up to there.
   */
  @Override
  public long takeSnapshot() {
    TermIndex last = getLastAppliedTermIndex();
    boolean idle = inProgress == null || inProgress.isDone();
    boolean due = last != null && last.getIndex() > Math.max(lastStartedIndex, 0)
        && snapshots.due(appliedRequests, appliedBytes);
    if (idle && due) {
      lastStartedIndex = last.getIndex();
      snapshots.started(appliedRequests, appliedBytes);
      StateCapture capture = StateCapture.of(applier.store(), applier.lessor(), applier.alarms(),
          applier.members(), applier.auth());
      inProgress = CompletableFuture.runAsync(() -> writeSnapshot(last, capture), snapshotWriter);
    }
    // Ratis logs, cleans up and purges for every index returned: only a new snapshot's, once.
    long completed = lastCompletedIndex;
    if (completed == lastReportedIndex) {
      return -1;
    }
    lastReportedIndex = completed;
    return completed;
  }

  private void writeSnapshot(TermIndex at, StateCapture capture) {
    File target = storage.getSnapshotFile(at.getTerm(), at.getIndex());
    File tmp = new File(target.getParentFile(), "tmp-" + target.getName());
    long started = System.nanoTime();
    long written = started;
    boolean direct;
    pacer.start();
    try (capture) {
      try (SnapshotFileOutput file = SnapshotFileOutput.create(tmp.toPath()).pacedBy(pacer)) {
        direct = file.direct();
        SnapshotFormat.write(file, capture);
        written = System.nanoTime();
        file.finish();
      }
      Files.move(tmp.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE);
      // the rename must be on disk before Ratis purges the log behind this snapshot
      try (FileChannel dir = FileChannel.open(target.getParentFile().toPath(),
          StandardOpenOption.READ)) {
        dir.force(true);
      }
      storage.updateLatestSnapshot(
          new SingleFileSnapshotInfo(new FileInfo(target.toPath(), null), at));
      lastCompletedIndex = at.getIndex();
      snapshots.snapshotIs(target.length());
      LOG.info("snapshot at index {} revision {}: {} MiB in {} ms (written in {} ms {}, then "
          + "synced; {} ms of processor time, {})", at.getIndex(), capture.store().revision(),
          target.length() >> 20, (System.nanoTime() - started) / 1_000_000,
          (written - started) / 1_000_000,
          direct ? "past the page cache" : "through the page cache",
          pacer.cpuSinceStart() / 1_000_000, pacer.pacing()
              ? "paced to " + Math.round(pacer.share() * 100) + "% of a processor" : "unpaced");
    } catch (IOException | RuntimeException e) {
      LOG.error("snapshot at index {} failed; the log is kept", at.getIndex(), e);
      try {
        Files.deleteIfExists(tmp.toPath());
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  @Override
  public void close() throws IOException {
    pacer.hurry();
    snapshotWriter.shutdown();
    try {
      if (!snapshotWriter.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("snapshot writer did not finish in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    super.close();
  }

  /** The read rounds this member waits to see applied ({@link RaftNode#readBarrier}). */
  ReadMarks readMarks() {
    return readMarks;
  }

  /** Waits for log indexes to be applied here (a follower's read rounds). */
  AppliedWaiters appliedWaiters() {
    return appliedWaiters;
  }

  /** Configuration and metadata entries: nothing to apply, but the index counts. */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    super.notifyTermIndexUpdated(term, index);
    appliedWaiters.advance(index);
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    var entry = trx.getLogEntry();
    ByteString data = entry.getStateMachineLogEntry().getLogData();
    byte[] result = data.size() > 0 && data.byteAt(0) == Command.BATCH.tag()
        ? applyBatch(data) : apply(data);
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    appliedWaiters.advance(entry.getIndex());
    return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(result)));
  }

  /** Applies a batch's entries in order, each as if logged alone; answers every result. */
  private byte[] applyBatch(ByteString data) {
    List<ByteString> entries;
    try {
      entries = Batches.entries(data);
    } catch (IllegalArgumentException e) {
      LOG.error("undecodable batch entry ignored", e);
      return Results.error(StoreError.CORRUPT);
    }
    List<byte[]> results = new ArrayList<>(entries.size());
    for (ByteString one : entries) {
      results.add(apply(one));
    }
    return Batches.results(results);
  }

  private byte[] apply(ByteString data) {
    if (!data.isEmpty() && data.byteAt(0) == Command.AS_USER.tag()) {
      CallerEntries.Unwrapped unwrapped;
      try {
        unwrapped = CallerEntries.unwrap(data);
      } catch (IllegalArgumentException e) {
        LOG.error("undecodable AS_USER entry ignored", e);
        return Results.error(StoreError.CORRUPT);
      }
      return apply(unwrapped.entry(), unwrapped.caller());
    }
    return apply(data, Caller.ANONYMOUS);
  }

  private byte[] apply(ByteString data, Caller caller) {
    Command command;
    try {
      command = Command.of(data.byteAt(0));
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      LOG.error("log entry of unknown type ignored", e);
      return Results.error(StoreError.CORRUPT);
    }
    if (command == Command.READ_INDEX || command == Command.BATCH
        || command == Command.AS_USER) {
      LOG.error("{} entry logged as a single write; ignored", command);
      return Results.error(StoreError.CORRUPT);
    }
    if (command == Command.NOOP) {
      readMarks.applied(data);
      return Results.ok(new byte[0]);
    }
    appliedRequests++;
    appliedBytes += data.size();
    try {
      RequestPermissions checks = applier.permissions();
      var response = switch (command) {
        case PUT -> {
          var r = PutRequest.parseFrom(EntryBodies.input(data));
          checks.put(caller, r);
          yield applier.put(r);
        }
        case DELETE_RANGE -> {
          var r = DeleteRangeRequest.parseFrom(EntryBodies.input(data));
          checks.deleteRange(caller, r);
          yield applier.deleteRange(r);
        }
        case TXN -> {
          var r = TxnRequest.parseFrom(EntryBodies.input(data));
          checks.txn(caller, r);
          yield applier.txn(r);
        }
        case COMPACT -> applier.compact(CompactionRequest.parseFrom(EntryBodies.body(data)));
        case LEASE_GRANT -> applier.leaseGrant(LeaseGrantRequest.parseFrom(EntryBodies.body(data)));
        case LEASE_REVOKE -> {
          var r = LeaseRevokeRequest.parseFrom(EntryBodies.body(data));
          checks.leaseRevoke(caller, r.getID());
          yield applier.leaseRevoke(r);
        }
        case ALARM -> applier.alarm(AlarmRequest.parseFrom(EntryBodies.body(data)));
        case MEMBER_ADD, MEMBER_REMOVE, MEMBER_UPDATE, MEMBER_PUBLISH, MEMBER_PROMOTE ->
            applier.member(memberChange(command), Member.parseFrom(EntryBodies.body(data)));
        case AUTH_ENABLE, AUTH_DISABLE, AUTHENTICATE, USER_ADD, USER_DELETE,
            USER_CHANGE_PASSWORD, USER_GRANT_ROLE, USER_REVOKE_ROLE, ROLE_ADD, ROLE_DELETE,
            ROLE_GRANT_PERMISSION, ROLE_REVOKE_PERMISSION ->
            authEntries.apply(command, EntryBodies.body(data), caller);
        case READ_INDEX, BATCH, NOOP, AS_USER -> throw new AssertionError(command);
      };
      return Results.ok(response.toByteArray());
    } catch (MvccException e) {
      return Results.error(e.error());
    } catch (IOException e) {
      LOG.error("undecodable {} entry", command, e);
      return Results.error(StoreError.CORRUPT);
    }
  }

  private static MemberChange memberChange(Command command) {
    return switch (command) {
      case MEMBER_ADD -> MemberChange.ADD;
      case MEMBER_REMOVE -> MemberChange.REMOVE;
      case MEMBER_UPDATE -> MemberChange.UPDATE;
      case MEMBER_PUBLISH -> MemberChange.PUBLISH;
      case MEMBER_PROMOTE -> MemberChange.PROMOTE;
      default -> throw new IllegalArgumentException(command + " is not a membership change");
    };
  }

  /** A ReadIndex round, answered by Ratis once the read index has been applied here. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    ByteString data = request.getContent();
    if (data.isEmpty() || data.byteAt(0) != Command.READ_INDEX.tag()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("not a ReadIndex round"));
    }
    return CompletableFuture.completedFuture(Message.EMPTY);
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    if (newLeaderId != null && !newLeaderId.equals(lastLeader.getAndSet(newLeaderId))) {
      leaderChangesSeen.incrementAndGet();
    }
    if (groupMemberId.getPeerId().equals(newLeaderId)) {
      onLeader.run();
    }
    onLeaderEvent.run();
  }

  @Override
  public void notifyLeaderReady() {
    onLeaderEvent.run();
  }
}
