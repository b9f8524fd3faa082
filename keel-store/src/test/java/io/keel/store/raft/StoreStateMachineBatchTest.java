package io.keel.store.raft;

import static io.keel.store.apply.Requests.get;
import static io.keel.store.apply.Requests.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.PutResponse;
import io.keel.store.apply.Alarms;
import io.keel.store.apply.Applier;
import io.keel.store.lease.Lessor;
import io.keel.store.lease.MutableClock;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.mvcc.StoreError;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class StoreStateMachineBatchTest {
  private static final class Member {
    final Applier applier = new Applier(new MvccStore(), new Lessor(new MutableClock(), 5),
        new Alarms(1), Long.MAX_VALUE);
    final StoreStateMachine stateMachine = new StoreStateMachine(applier, SnapshotSchedule.every(1_000_000));
    long index;

    byte[] apply(byte[] entry) {
      var log = LogEntryProto.newBuilder().setTerm(1).setIndex(++index)
          .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder()
              .setLogData(ByteString.copyFrom(entry)))
          .build();
      var trx = TransactionContext.newBuilder().setStateMachine(stateMachine)
          .setServerRole(RaftPeerRole.FOLLOWER).setLogEntry(log).build();
      return stateMachine.applyTransaction(trx).join().getContent().toByteArray();
    }
  }

  private static byte[] tagged(Command command, MessageLite request) {
    byte[] body = request.toByteArray();
    byte[] out = new byte[body.length + 1];
    out[0] = command.tag();
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  private final List<byte[]> requests = List.of(
      tagged(Command.PUT, put("a", "1")),
      tagged(Command.PUT, put("b", "2", 42)),
      tagged(Command.LEASE_GRANT, LeaseGrantRequest.newBuilder().setID(42).setTTL(60).build()),
      tagged(Command.PUT, put("b", "2", 42)),
      new byte[] {Command.PUT.tag(), (byte) 0xff},
      tagged(Command.DELETE_RANGE, DeleteRangeRequest.newBuilder()
          .setKey(com.google.protobuf.ByteString.copyFromUtf8("a")).build()));

  @Test
  void aBatchAppliesEachRequestInOrderWithItsOwnRevisionAndResult() throws Exception {
    var member = new Member();

    List<byte[]> results = Batches.results(member.apply(Batches.entry(requests)));

    assertThat(results).hasSize(6);
    assertThat(PutResponse.parseFrom(Results.unwrap(results.get(0))).getHeader().getRevision())
        .isEqualTo(2);
    assertThat(results.get(1)).isEqualTo(Results.error(StoreError.LEASE_NOT_FOUND));
    assertThat(LeaseGrantResponse.parseFrom(Results.unwrap(results.get(2))).getID())
        .isEqualTo(42);
    assertThat(PutResponse.parseFrom(Results.unwrap(results.get(3))).getHeader().getRevision())
        .isEqualTo(3);
    assertThat(results.get(4)).isEqualTo(Results.error(StoreError.CORRUPT));
    var deleted = DeleteRangeResponse.parseFrom(Results.unwrap(results.get(5)));
    assertThat(deleted.getDeleted()).isEqualTo(1);
    assertThat(deleted.getHeader().getRevision()).isEqualTo(4);
    assertThat(member.applier.range(get("b")).getKvs(0).getLease()).isEqualTo(42);
  }

  @Test
  void aBatchGivesTheResultsAndStateOfItsRequestsLoggedOneByOne() {
    var batched = new Member();
    var oneByOne = new Member();

    List<byte[]> batchResults = Batches.results(batched.apply(Batches.entry(requests)));
    List<byte[]> singleResults = new ArrayList<>();
    requests.forEach(r -> singleResults.add(oneByOne.apply(r)));

    assertThat(batchResults).containsExactlyElementsOf(singleResults);
    assertThat(batched.applier.store().currentRevision())
        .isEqualTo(oneByOne.applier.store().currentRevision());
    assertThat(batched.applier.range(get("b"))).isEqualTo(oneByOne.applier.range(get("b")));
  }

  @Test
  void aNestedOrMalformedBatchIsARefusalNotACrash() {
    var member = new Member();

    byte[] nested = Batches.entry(List.of(Batches.entry(List.of(requests.get(0))),
        requests.get(0)));
    List<byte[]> results = Batches.results(member.apply(nested));

    assertThat(results.get(0)).isEqualTo(Results.error(StoreError.CORRUPT));
    assertThat(Results.unwrap(results.get(1))).isNotEmpty();
    assertThat(member.apply(new byte[] {Command.BATCH.tag(), 3, 1}))
        .isEqualTo(Results.error(StoreError.CORRUPT));
  }

  @Test
  void aNoOpChangesNothingAloneOrInABatch() throws Exception {
    var member = new Member();
    member.apply(requests.get(0));
    long revision = member.applier.store().currentRevision();
    var before = member.applier.range(get("a"));

    byte[] alone = member.apply(tagged(Command.NOOP, com.google.protobuf.Empty.getDefaultInstance()));
    List<byte[]> batched = Batches.results(member.apply(Batches.entry(
        List.of(tagged(Command.NOOP, com.google.protobuf.Empty.getDefaultInstance())))));

    assertThat(Results.unwrap(alone)).isEmpty();
    assertThat(Results.unwrap(batched.get(0))).isEmpty();
    assertThat(member.applier.store().currentRevision()).isEqualTo(revision);
    assertThat(member.applier.range(get("a"))).isEqualTo(before);
  }
}
