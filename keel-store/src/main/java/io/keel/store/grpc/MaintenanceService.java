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
import java.io.ByteArrayOutputStream;
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
  private final LocalMember member;

  public MaintenanceService(LocalMember member) {
    this.member = member;
  }

  @Override
  public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> observer) {
    CompletableFuture<AlarmResponse> result =
        request.getAction() == AlarmRequest.AlarmAction.GET
            ? CompletableFuture.completedFuture(member.applier().alarm(request))
            : member.write(Command.ALARM, request, AlarmResponse.parser());
    GrpcErrors.reply(result,
        r -> r.toBuilder().setHeader(member.complete(r.getHeader())).build(), observer);
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
    GrpcErrors.answer(() -> {
      var raft = member.raft();
      String leaderName = raft.leaderName();
      long leaderId = member.members().stream().filter(m -> m.name().equals(leaderName))
          .mapToLong(MemberIdentity.Member::id).findFirst().orElse(0);
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
    GrpcErrors.answer(() -> DefragmentResponse.newBuilder().setHeader(member.header()).build(),
        observer);
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
      if (rev < member.store().compactRevision()) {
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

  @Override
  public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> observer) {
    byte[] data;
    try {
      var bytes = new ByteArrayOutputStream();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (OutputStream out = new DigestOutputStream(bytes, sha)) {
        SnapshotFormat.write(out, member.store(), member.lessor(), member.applier().alarms());
      }
      bytes.write(sha.digest());
      data = bytes.toByteArray();
    } catch (IOException | NoSuchAlgorithmException e) {
      observer.onError(GrpcErrors.toStatus(e));
      return;
    }
    for (int offset = 0; offset < data.length; offset += SNAPSHOT_CHUNK) {
      int n = Math.min(SNAPSHOT_CHUNK, data.length - offset);
      observer.onNext(SnapshotResponse.newBuilder()
          .setHeader(member.header())
          .setRemainingBytes(data.length - offset - n)
          .setBlob(ByteString.copyFrom(data, offset, n))
          .build());
    }
    observer.onCompleted();
  }

  @Override
  public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> observer) {
    GrpcErrors.answer(() -> {
      if (request.getTargetID() != member.identity().memberId()) {
        throw StoreError.NOT_CAPABLE.exception();
      }
      return MoveLeaderResponse.newBuilder().setHeader(member.header()).build();
    }, observer);
  }
}
