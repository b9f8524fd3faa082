package io.keel.store.grpc;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.DefragmentResponse;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashKVResponse;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.HashResponse;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.MoveLeaderResponse;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.stub.StreamObserver;
import io.keel.store.mvcc.StoreError;
import io.keel.store.raft.Command;
import io.keel.store.raft.SnapshotFormat;
import io.keel.store.server.LocalMember;
import io.keel.store.server.MemberIdentity;
import io.keel.store.server.StoreVersion;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/** etcd's Maintenance service. Defragment is a no-op: compaction already frees memory. */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
  private static final int SNAPSHOT_CHUNK = 32 * 1024;
  private static final int SNAPSHOT_ALIGNMENT = 512;
  private final LocalMember member;
  private final Path scratchDir;

  public MaintenanceService(LocalMember member, Path scratchDir) {
    this.member = member;
    this.scratchDir = scratchDir;
  }

  @Override
  public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> observer) {
    CompletableFuture<AlarmResponse> result =
        request.getAction() == AlarmRequest.AlarmAction.GET
            ? CompletableFuture.completedFuture(member.applier().alarm(request))
            : member.write(Command.ALARM, request, AlarmResponse.parser());
    GrpcErrors.reply(result, r -> r, observer);
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
    GrpcErrors.answer(() -> {
      var raft = member.raft();
      long leaderId = member.leaderMemberId();
      long size = member.store().sizeBytes();
      return StatusResponse.newBuilder()
          .setHeader(member.header())
          .setVersion(StoreVersion.ETCD_API)
          .setDbSize(size)
          .setDbSizeInUse(size)
          .setLeader(leaderId)
          .setRaftIndex(raft.commitIndex())
          .setRaftAppliedIndex(raft.appliedIndex())
          .setRaftTerm(raft.term())
          .build();
    }, observer);
  }

  @Override
  public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> observer) {
    GrpcErrors.answer(DefragmentResponse::getDefaultInstance, observer); // etcd 3.4's has no header
  }

  @Override
  public void hash(HashRequest request, StreamObserver<HashResponse> observer) {
    GrpcErrors.answer(() -> HashResponse.newBuilder().setHeader(member.header())
        .setHash(hashUpTo(Long.MAX_VALUE)).build(), observer);
  }

  @Override
  public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> observer) {
    GrpcErrors.answer(() -> {
      long current = member.store().currentRevision();
      long rev = request.getRevision() <= 0 ? current : request.getRevision();
      if (rev > current) {
        throw StoreError.FUTURE_REV.exception();
      }
      long compacted = member.store().compactRevision();
      if (compacted > 0 && rev <= compacted) {
        throw StoreError.COMPACTED.exception();
      }
      return HashKVResponse.newBuilder().setHeader(member.header())
          .setHash(hashUpTo(rev))
          .setCompactRevision(member.store().compactRevision()).build();
    }, observer);
  }

  private int hashUpTo(long revision) {
    CRC32C crc = new CRC32C();
    member.store().forEachVersion((kv, sub) -> {
      if (kv.modRevision() <= revision) {
        crc.update(kv.key().array());
        crc.update(kv.value().array());
        crc.update((int) kv.modRevision());
      }
    });
    return (int) crc.getValue();
  }

  /**
   * Streams a point-in-time copy of the state. It is first written to a scratch file, so a slow
   * client never holds the store's read lock. As etcd's, the body is padded to a multiple of 512
   * bytes and followed by its SHA-256, which is what {@code etcdctl snapshot save} checks for.
   */
  @Override
  public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> observer) {
    Path file = null;
    try {
      file = Files.createTempFile(scratchDir, "snapshot-", ".tmp");
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (var counted = new CountingOutputStream(new DigestOutputStream(
          new BufferedOutputStream(Files.newOutputStream(file)), sha))) {
        SnapshotFormat.write(counted, member.store(), member.lessor(), member.applier().alarms(),
            member.applier().members(), member.auth());
        counted.write(new byte[(int) ((SNAPSHOT_ALIGNMENT - counted.count() % SNAPSHOT_ALIGNMENT)
            % SNAPSHOT_ALIGNMENT)]);
      }
      Files.write(file, sha.digest(), StandardOpenOption.APPEND);
      long total = Files.size(file);
      long sent = 0;
      byte[] chunk = new byte[SNAPSHOT_CHUNK];
      try (InputStream in = Files.newInputStream(file)) {
        int n;
        while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
          sent += n;
          observer.onNext(SnapshotResponse.newBuilder()
              .setHeader(member.header())
              .setRemainingBytes(total - sent)
              .setBlob(ByteString.copyFrom(chunk, 0, n))
              .build());
        }
      }
      observer.onCompleted();
    } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a leftover scratch file is harmless
        }
      }
    }
  }

  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    long count() {
      return count;
    }
  }

  @Override
  public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> observer) {
    if (member.applier().members().get(request.getTargetID()).isEmpty()) {
      observer.onError(GrpcErrors.toStatus(StoreError.MEMBER_NOT_FOUND.exception()));
      return;
    }
    GrpcErrors.reply(member.raft().transferLeadership(
            MemberIdentity.raftId(request.getTargetID())),
        x -> MoveLeaderResponse.newBuilder().setHeader(member.header()).build(), observer);
  }
}
