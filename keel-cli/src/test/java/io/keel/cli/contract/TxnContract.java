package io.keel.cli.contract;

import static io.keel.cli.contract.Wire.assertEtcdError;
import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.keys;
import static io.keel.cli.contract.Wire.values;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Txn: compares on each target, both branches, reads inside a txn, one revision per txn. */
public interface TxnContract extends StoreFixture {

    private KV kv() {
        return client().getKVClient();
    }

    private long put(String name, String value) {
        return await(kv().put(key(name), bytes(value))).getHeader().getRevision();
    }

    private Op.PutOp putOp(String name, String value) {
        return Op.put(key(name), bytes(value), PutOption.DEFAULT);
    }

    private Op.GetOp getOp(String name) {
        return Op.get(key(name), GetOption.DEFAULT);
    }

    private boolean holds(Cmp cmp) {
        return await(kv().txn().If(cmp).commit()).isSucceeded();
    }

    @Test
    default void successBranchWritesAndItsReadsSeeTheWrites() {
        long before = put("k", "v1");
        TxnResponse txn = await(kv().txn()
                .If(new Cmp(key("k"), Cmp.Op.EQUAL, CmpTarget.value(bytes("v1"))))
                .Then(putOp("k", "v2"), getOp("k"))
                .Else(getOp("k"))
                .commit());
        assertThat(txn.isSucceeded()).isTrue();
        assertThat(txn.getHeader().getRevision()).isEqualTo(before + 1);
        assertThat(txn.getPutResponses()).hasSize(1);
        assertThat(txn.getGetResponses()).hasSize(1);
        KeyValue seen = txn.getGetResponses().get(0).getKvs().get(0);
        assertThat(Wire.text(seen.getValue())).isEqualTo("v2");
        assertThat(seen.getModRevision()).isEqualTo(before + 1);
        assertThat(seen.getVersion()).isEqualTo(2);
    }

    @Test
    default void failureBranchRunsWhenACompareFailsAndReadsDoNotBumpTheRevision() {
        long before = put("k", "v1");
        TxnResponse txn = await(kv().txn()
                .If(new Cmp(key("k"), Cmp.Op.EQUAL, CmpTarget.value(bytes("other"))))
                .Then(putOp("k", "v2"))
                .Else(getOp("k"))
                .commit());
        assertThat(txn.isSucceeded()).isFalse();
        assertThat(txn.getPutResponses()).isEmpty();
        assertThat(values(txn.getGetResponses().get(0).getKvs())).containsExactly("v1");
        assertThat(txn.getHeader().getRevision()).isEqualTo(before);
        assertThat(values(await(kv().get(key("k"))).getKvs())).containsExactly("v1");
    }

    @Test
    default void allComparesMustHold() {
        put("a", "1");
        put("b", "2");
        TxnResponse txn = await(kv().txn()
                .If(new Cmp(key("a"), Cmp.Op.EQUAL, CmpTarget.value(bytes("1"))),
                        new Cmp(key("b"), Cmp.Op.EQUAL, CmpTarget.value(bytes("3"))))
                .Then(putOp("a", "changed"))
                .commit());
        assertThat(txn.isSucceeded()).isFalse();
        assertThat(values(await(kv().get(key("a"))).getKvs())).containsExactly("1");
    }

    @Test
    default void comparesOnValueVersionCreateAndModRevision() {
        long created = put("k", "m");
        long modified = put("k", "m");
        expectCompare("k", Cmp.Op.EQUAL, CmpTarget.value(bytes("m")), true);
        expectCompare("k", Cmp.Op.GREATER, CmpTarget.value(bytes("a")), true);
        expectCompare("k", Cmp.Op.LESS, CmpTarget.value(bytes("a")), false);
        expectCompare("k", Cmp.Op.NOT_EQUAL, CmpTarget.value(bytes("m")), false);

        expectCompare("k", Cmp.Op.EQUAL, CmpTarget.version(2), true);
        expectCompare("k", Cmp.Op.GREATER, CmpTarget.version(1), true);
        expectCompare("k", Cmp.Op.LESS, CmpTarget.version(2), false);

        expectCompare("k", Cmp.Op.EQUAL, CmpTarget.createRevision(created), true);
        expectCompare("k", Cmp.Op.LESS, CmpTarget.createRevision(modified), true);
        expectCompare("k", Cmp.Op.NOT_EQUAL, CmpTarget.createRevision(created), false);

        expectCompare("k", Cmp.Op.EQUAL, CmpTarget.modRevision(modified), true);
        expectCompare("k", Cmp.Op.GREATER, CmpTarget.modRevision(created), true);
        expectCompare("k", Cmp.Op.EQUAL, CmpTarget.modRevision(created), false);
    }

    /** A missing key has version, create and mod revision 0; a value compare on it always fails. */
    @Test
    default void comparesOnAMissingKey() {
        expectCompare("missing", Cmp.Op.EQUAL, CmpTarget.version(0), true);
        expectCompare("missing", Cmp.Op.EQUAL, CmpTarget.createRevision(0), true);
        expectCompare("missing", Cmp.Op.EQUAL, CmpTarget.modRevision(0), true);
        expectCompare("missing", Cmp.Op.EQUAL, CmpTarget.value(bytes("")), false);
        expectCompare("missing", Cmp.Op.NOT_EQUAL, CmpTarget.value(bytes("")), false);
    }

    @Test
    default void createIfAbsentSucceedsOnce() {
        Cmp absent = new Cmp(key("lock"), Cmp.Op.EQUAL, CmpTarget.createRevision(0));
        TxnResponse first = await(kv().txn().If(absent).Then(putOp("lock", "me")).commit());
        TxnResponse second = await(kv().txn().If(absent).Then(putOp("lock", "you")).commit());
        assertThat(first.isSucceeded()).isTrue();
        assertThat(second.isSucceeded()).isFalse();
        assertThat(values(await(kv().get(key("lock"))).getKvs())).containsExactly("me");
    }

    @Test
    default void aTxnIsOneRevision() {
        put("old", "x");
        long before = put("d", "x");
        TxnResponse txn = await(kv().txn()
                .Then(putOp("a", "1"), putOp("b", "2"), putOp("c", "3"),
                        Op.delete(key("d"), DeleteOption.DEFAULT),
                        Op.delete(key("old"), DeleteOption.DEFAULT))
                .commit());
        assertThat(txn.isSucceeded()).isTrue();
        assertThat(txn.getHeader().getRevision()).isEqualTo(before + 1);
        assertThat(txn.getDeleteResponses()).extracting(d -> d.getDeleted()).containsExactly(1L, 1L);
        List<KeyValue> kvs = await(kv().get(prefixKey(), GetOption.builder().isPrefix(true).build())).getKvs();
        assertThat(keys(kvs)).containsExactly(prefix() + "a", prefix() + "b", prefix() + "c");
        assertThat(kvs).allSatisfy(kv -> assertThat(kv.getModRevision()).isEqualTo(before + 1));
    }

    @Test
    default void writesInATxnAreSeenByLaterOpsInIt() {
        put("k", "v1");
        TxnResponse txn = await(kv().txn()
                .Then(Op.delete(key("k"), DeleteOption.DEFAULT), getOp("k"), putOp("n", "1"),
                        Op.get(prefixKey(), GetOption.builder().isPrefix(true).build()))
                .commit());
        assertThat(txn.getGetResponses().get(0).getKvs()).isEmpty();
        assertThat(keys(txn.getGetResponses().get(1).getKvs())).containsExactly(prefix() + "n");
    }

    /**
     * etcd decides every branch, nested ones included, on the state before the txn; the nested
     * txn's reads then see the outer writes made before it.
     */
    @Test
    default void nestedTxnComparesOnTheStateBeforeAndReadsTheOuterWrites() {
        long before = put("k", "v1");
        Op nested = Op.txn(
                new Cmp[] {new Cmp(key("k"), Cmp.Op.EQUAL, CmpTarget.value(bytes("v1")))},
                new Op[] {putOp("inner", "then"), getOp("k")},
                new Op[] {putOp("inner", "else")});
        TxnResponse txn = await(kv().txn().Then(putOp("k", "v2"), nested).commit());
        assertThat(txn.isSucceeded()).isTrue();
        assertThat(txn.getTxnResponses()).hasSize(1);
        TxnResponse inner = txn.getTxnResponses().get(0);
        assertThat(inner.isSucceeded()).as("nested compare k == v1, decided before the outer put").isTrue();
        assertThat(values(inner.getGetResponses().get(0).getKvs())).as("nested read of k").containsExactly("v2");
        assertThat(txn.getHeader().getRevision()).isEqualTo(before + 1);
        KeyValue innerKv = await(kv().get(key("inner"))).getKvs().get(0);
        assertThat(Wire.text(innerKv.getValue())).isEqualTo("then");
        assertThat(innerKv.getModRevision()).isEqualTo(before + 1);
    }

    @Test
    default void nestedTxnTakesItsElseBranchWhenItsCompareFails() {
        put("k", "v1");
        Op nested = Op.txn(
                new Cmp[] {new Cmp(key("k"), Cmp.Op.EQUAL, CmpTarget.value(bytes("v2")))},
                new Op[] {putOp("inner", "then")},
                new Op[] {putOp("inner", "else"), getOp("inner")});
        TxnResponse txn = await(kv().txn().Then(putOp("k", "v2"), nested).commit());
        TxnResponse inner = txn.getTxnResponses().get(0);
        assertThat(inner.isSucceeded()).isFalse();
        assertThat(values(inner.getGetResponses().get(0).getKvs())).containsExactly("else");
    }

    @Test
    default void aPutInATxnReturnsThePrevKv() {
        put("k", "v1");
        TxnResponse txn = await(kv().txn()
                .Then(Op.put(key("k"), bytes("v2"), PutOption.builder().withPrevKV().build()))
                .commit());
        assertThat(txn.getPutResponses().get(0).hasPrevKv()).isTrue();
        assertThat(Wire.text(txn.getPutResponses().get(0).getPrevKv().getValue())).isEqualTo("v1");
    }

    /** Compare target LEASE (etcd 3.3+), which jetcd cannot express: built on etcd's stubs. */
    @Test
    default void compareOnTheLeaseTarget() {
        long lease = await(client().getLeaseClient().grant(60)).getID();
        await(kv().put(key("k"), bytes("v"), PutOption.builder().withLeaseId(lease).build()));
        assertThat(leaseCompare("k", lease)).isTrue();
        assertThat(leaseCompare("k", lease + 1)).isFalse();
        assertThat(leaseCompare("missing", 0)).as("a missing key has lease 0").isTrue();
        await(client().getLeaseClient().revoke(lease));
    }

    private boolean leaseCompare(String name, long lease) {
        Compare compare = Compare.newBuilder()
                .setKey(ByteString.copyFrom(key(name).getBytes()))
                .setResult(Compare.CompareResult.EQUAL)
                .setTargetValue(4)
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(8, UnknownFieldSet.Field.newBuilder().addVarint(lease).build())
                        .build())
                .build();
        return KVGrpc.newBlockingStub(channel()).withDeadlineAfter(Wire.REQUEST_TIMEOUT)
                .txn(TxnRequest.newBuilder().addCompare(compare).build())
                .getSucceeded();
    }

    @Test
    default void emptyTxnSucceedsWithoutARevision() {
        long before = put("k", "v");
        TxnResponse txn = await(kv().txn().commit());
        assertThat(txn.isSucceeded()).isTrue();
        assertThat(txn.getHeader().getRevision()).isEqualTo(before);
    }

    @Test
    default void duplicatePutsOfAKeyAreRejected() {
        assertEtcdError(kv().txn().Then(putOp("k", "1"), putOp("k", "2")).commit(),
                Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
        assertThat(await(kv().get(key("k"))).getKvs()).isEmpty();
    }

    @Test
    default void moreThan128OpsAreRejected() {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 129; i++) {
            ops.add(putOp("k" + i, "v"));
        }
        assertEtcdError(kv().txn().Then(ops.toArray(Op[]::new)).commit(),
                Status.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request");
        ops.remove(128);
        assertThat(await(kv().txn().Then(ops.toArray(Op[]::new)).commit()).getPutResponses()).hasSize(128);
    }

    private void expectCompare(String name, Cmp.Op op, CmpTarget<?> target, boolean expected) {
        Object value = target.getTargetValue() instanceof ByteString b
                ? "'" + b.toStringUtf8() + "'" : target.getTargetValue();
        assertThat(holds(new Cmp(key(name), op, target)))
                .as("compare %s %s %s %s", name, target.getTarget(), op, value)
                .isEqualTo(expected);
    }
}
