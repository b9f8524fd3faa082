package io.keel.cli.contract;

import static io.keel.cli.contract.Wire.assertEtcdError;
import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.keys;
import static io.keel.cli.contract.Wire.text;
import static io.keel.cli.contract.Wire.values;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.GetOption.SortOrder;
import io.etcd.jetcd.options.GetOption.SortTarget;
import io.etcd.jetcd.options.PutOption;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KV: put, range and delete-range with their options, revisions and versions. */
public interface KvContract extends StoreFixture {

    String FUTURE_REVISION = "etcdserver: mvcc: required revision is a future revision";

    private KV kv() {
        return client().getKVClient();
    }

    private long put(String name, String value) {
        return await(kv().put(key(name), bytes(value))).getHeader().getRevision();
    }

    private GetResponse getPrefix(GetOption.Builder options) {
        return await(kv().get(prefixKey(), options.isPrefix(true).build()));
    }

    @Test
    default void putAssignsRevisionsAndVersions() {
        long first = put("k", "v1");
        KeyValue kv = await(kv().get(key("k"))).getKvs().get(0);
        assertThat(text(kv.getValue())).isEqualTo("v1");
        assertThat(kv.getCreateRevision()).isEqualTo(first);
        assertThat(kv.getModRevision()).isEqualTo(first);
        assertThat(kv.getVersion()).isEqualTo(1);
        assertThat(kv.getLease()).isZero();

        long second = put("k", "v2");
        assertThat(second).isEqualTo(first + 1);
        GetResponse got = await(kv().get(key("k")));
        kv = got.getKvs().get(0);
        assertThat(text(kv.getValue())).isEqualTo("v2");
        assertThat(kv.getCreateRevision()).isEqualTo(first);
        assertThat(kv.getModRevision()).isEqualTo(second);
        assertThat(kv.getVersion()).isEqualTo(2);
        assertThat(got.getCount()).isEqualTo(1);
        assertThat(got.isMore()).isFalse();
        assertThat(got.getHeader().getRevision()).isGreaterThanOrEqualTo(second);
    }

    @Test
    default void getOfMissingKeyIsEmpty() {
        GetResponse got = await(kv().get(key("missing")));
        assertThat(got.getKvs()).isEmpty();
        assertThat(got.getCount()).isZero();
        assertThat(got.isMore()).isFalse();
    }

    @Test
    default void putWithPrevKvReturnsThePreviousPair() {
        PutResponse created = await(kv().put(key("k"), bytes("v1"), PutOption.builder().withPrevKV().build()));
        assertThat(created.hasPrevKv()).isFalse();

        PutResponse replaced = await(kv().put(key("k"), bytes("v2"), PutOption.builder().withPrevKV().build()));
        assertThat(replaced.hasPrevKv()).isTrue();
        assertThat(text(replaced.getPrevKv().getValue())).isEqualTo("v1");
        assertThat(replaced.getPrevKv().getModRevision()).isEqualTo(created.getHeader().getRevision());
        assertThat(replaced.getPrevKv().getVersion()).isEqualTo(1);
    }

    @Test
    default void putOfAnEmptyValueKeepsTheKey() {
        put("k", "");
        GetResponse got = await(kv().get(key("k")));
        assertThat(got.getCount()).isEqualTo(1);
        assertThat(got.getKvs().get(0).getValue().isEmpty()).isTrue();
    }

    @Test
    default void deleteRemovesTheKeyAndRecreationStartsAtVersionOne() {
        put("k", "v1");
        long beforeDelete = put("k", "v2");
        DeleteResponse deleted = await(kv().delete(key("k")));
        assertThat(deleted.getDeleted()).isEqualTo(1);
        assertThat(deleted.getHeader().getRevision()).isEqualTo(beforeDelete + 1);
        assertThat(await(kv().get(key("k"))).getKvs()).isEmpty();

        long recreated = put("k", "v3");
        KeyValue kv = await(kv().get(key("k"))).getKvs().get(0);
        assertThat(kv.getVersion()).isEqualTo(1);
        assertThat(kv.getCreateRevision()).isEqualTo(recreated);
    }

    @Test
    default void deleteOfMissingKeyDeletesNothingAndKeepsTheRevision() {
        long before = put("other", "x");
        DeleteResponse deleted = await(kv().delete(key("missing")));
        assertThat(deleted.getDeleted()).isZero();
        assertThat(deleted.getHeader().getRevision()).isEqualTo(before);
    }

    @Test
    default void deletePrefixWithPrevKvDeletesAllInOneRevision() {
        put("a", "1");
        put("b", "2");
        long last = put("c", "3");
        DeleteResponse deleted = await(kv().delete(prefixKey(),
                DeleteOption.builder().isPrefix(true).withPrevKV(true).build()));
        assertThat(deleted.getDeleted()).isEqualTo(3);
        assertThat(keys(deleted.getPrevKvs())).containsExactly(prefix() + "a", prefix() + "b", prefix() + "c");
        assertThat(values(deleted.getPrevKvs())).containsExactly("1", "2", "3");
        assertThat(deleted.getHeader().getRevision()).isEqualTo(last + 1);
        assertThat(getPrefix(GetOption.builder()).getCount()).isZero();
        assertThat(getPrefix(GetOption.builder().withRevision(last)).getCount()).isEqualTo(3);
    }

    @Test
    default void deleteRangeIsHalfOpen() {
        for (String name : List.of("a", "b", "c", "d")) {
            put(name, name);
        }
        DeleteResponse deleted = await(kv().delete(key("b"), DeleteOption.builder().withRange(key("d")).build()));
        assertThat(deleted.getDeleted()).isEqualTo(2);
        assertThat(keys(getPrefix(GetOption.builder()).getKvs())).containsExactly(prefix() + "a", prefix() + "d");
    }

    @Test
    default void prefixAndRangeReadsAreSortedByKey() {
        for (String name : List.of("d", "b", "a", "c")) {
            put(name, name.toUpperCase());
        }
        await(kv().put(siblingKey(), bytes("outside")));
        assertThat(keys(getPrefix(GetOption.builder()).getKvs()))
                .containsExactly(prefix() + "a", prefix() + "b", prefix() + "c", prefix() + "d");
        GetResponse range = await(kv().get(key("b"), GetOption.builder().withRange(key("d")).build()));
        assertThat(keys(range.getKvs())).containsExactly(prefix() + "b", prefix() + "c");
        assertThat(values(range.getKvs())).containsExactly("B", "C");
        assertThat(range.getCount()).isEqualTo(2);
    }

    @Test
    default void limitReportsMoreAndTheFullCount() {
        for (String name : List.of("a", "b", "c", "d")) {
            put(name, name);
        }
        GetResponse limited = getPrefix(GetOption.builder().withLimit(2));
        assertThat(keys(limited.getKvs())).containsExactly(prefix() + "a", prefix() + "b");
        assertThat(limited.isMore()).isTrue();
        assertThat(limited.getCount()).isEqualTo(4);

        GetResponse exact = getPrefix(GetOption.builder().withLimit(4));
        assertThat(exact.getKvs()).hasSize(4);
        assertThat(exact.isMore()).isFalse();
        assertThat(exact.getCount()).isEqualTo(4);
    }

    @Test
    default void sortByEveryTargetAndOrder() {
        put("a", "3");
        put("b", "1");
        put("c", "2");
        put("b", "1");
        put("c", "2");
        put("c", "2");
        String a = prefix() + "a";
        String b = prefix() + "b";
        String c = prefix() + "c";
        assertThat(keys(getPrefix(GetOption.builder().withSortField(SortTarget.KEY)
                .withSortOrder(SortOrder.DESCEND)).getKvs())).containsExactly(c, b, a);
        assertThat(keys(getPrefix(GetOption.builder().withSortField(SortTarget.VALUE)
                .withSortOrder(SortOrder.ASCEND)).getKvs())).containsExactly(b, c, a);
        assertThat(keys(getPrefix(GetOption.builder().withSortField(SortTarget.VERSION)
                .withSortOrder(SortOrder.DESCEND)).getKvs())).containsExactly(c, b, a);
        assertThat(keys(getPrefix(GetOption.builder().withSortField(SortTarget.CREATE)
                .withSortOrder(SortOrder.DESCEND)).getKvs())).containsExactly(c, b, a);
        assertThat(keys(getPrefix(GetOption.builder().withSortField(SortTarget.MOD)
                .withSortOrder(SortOrder.ASCEND)).getKvs())).containsExactly(a, b, c);
    }

    /** etcd sorts ascending when a target other than the key is given without an order. */
    @Test
    default void sortTargetWithoutOrderSortsAscending() {
        put("a", "z");
        put("b", "x");
        put("c", "y");
        assertThat(keys(getPrefix(GetOption.builder().withSortField(SortTarget.VALUE)).getKvs()))
                .containsExactly(prefix() + "b", prefix() + "c", prefix() + "a");
    }

    /** With a sort order the limit applies after sorting over the whole range. */
    @Test
    default void limitAppliesAfterSorting() {
        put("a", "1");
        put("b", "4");
        put("c", "3");
        put("d", "2");
        GetResponse top = getPrefix(GetOption.builder().withSortField(SortTarget.VALUE)
                .withSortOrder(SortOrder.DESCEND).withLimit(2));
        assertThat(values(top.getKvs())).containsExactly("4", "3");
        assertThat(top.isMore()).isTrue();
        assertThat(top.getCount()).isEqualTo(4);
    }

    @Test
    default void keysOnlyOmitsValuesButKeepsRevisions() {
        long rev = put("a", "value");
        GetResponse got = getPrefix(GetOption.builder().withKeysOnly(true));
        assertThat(got.getKvs()).hasSize(1);
        KeyValue kv = got.getKvs().get(0);
        assertThat(text(kv.getKey())).isEqualTo(prefix() + "a");
        assertThat(kv.getValue().isEmpty()).isTrue();
        assertThat(kv.getModRevision()).isEqualTo(rev);
        assertThat(kv.getVersion()).isEqualTo(1);
    }

    @Test
    default void countOnlyReturnsTheCountWithoutPairs() {
        put("a", "1");
        put("b", "2");
        put("c", "3");
        GetResponse got = getPrefix(GetOption.builder().withCountOnly(true));
        assertThat(got.getKvs()).isEmpty();
        assertThat(got.getCount()).isEqualTo(3);
        assertThat(got.isMore()).isFalse();
    }

    @Test
    default void getAtRevisionSeesThePastState() {
        long r1 = put("k", "v1");
        long r2 = put("k", "v2");
        await(kv().delete(key("k")));
        long r4 = put("other", "x");

        KeyValue atR1 = await(kv().get(key("k"), GetOption.builder().withRevision(r1).build())).getKvs().get(0);
        assertThat(text(atR1.getValue())).isEqualTo("v1");
        assertThat(atR1.getModRevision()).isEqualTo(r1);
        assertThat(atR1.getVersion()).isEqualTo(1);

        GetResponse atR2 = await(kv().get(key("k"), GetOption.builder().withRevision(r2).build()));
        assertThat(values(atR2.getKvs())).containsExactly("v2");
        assertThat(atR2.getKvs().get(0).getVersion()).isEqualTo(2);
        assertThat(await(kv().get(key("k"), GetOption.builder().withRevision(r4).build())).getKvs()).isEmpty();
        assertThat(getPrefix(GetOption.builder().withRevision(r1)).getCount()).isEqualTo(1);
    }

    @Test
    default void getAtAFutureRevisionFails() {
        long rev = put("k", "v");
        assertEtcdError(kv().get(key("k"), GetOption.builder().withRevision(rev + 1000).build()),
                Status.Code.OUT_OF_RANGE, FUTURE_REVISION);
    }

    @Test
    default void serializableGetSeesAnAcknowledgedWrite() {
        put("k", "v");
        GetResponse got = await(kv().get(key("k"), GetOption.builder().withSerializable(true).build()));
        assertThat(values(got.getKvs())).containsExactly("v");
    }

    @Test
    default void revisionFiltersSelectByModAndCreateRevision() {
        long ra = put("a", "1");
        long rb = put("b", "1");
        put("a", "2");
        assertThat(keys(getPrefix(GetOption.builder().withMinModRevision(rb)).getKvs()))
                .containsExactly(prefix() + "a", prefix() + "b");
        assertThat(keys(getPrefix(GetOption.builder().withMaxModRevision(rb)).getKvs()))
                .containsExactly(prefix() + "b");
        assertThat(keys(getPrefix(GetOption.builder().withMinCreateRevision(rb)).getKvs()))
                .containsExactly(prefix() + "b");
        assertThat(keys(getPrefix(GetOption.builder().withMaxCreateRevision(ra)).getKvs()))
                .containsExactly(prefix() + "a");
    }

    @Test
    default void keysAndValuesAreArbitraryBytes() {
        ByteSequence binaryKey = ByteSequence.from(concat(prefix().getBytes(), new byte[] {0, (byte) 0xff, 10}));
        ByteSequence binaryValue = ByteSequence.from(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff});
        await(kv().put(binaryKey, binaryValue));
        KeyValue kv = await(kv().get(binaryKey)).getKvs().get(0);
        assertThat(kv.getKey()).isEqualTo(binaryKey);
        assertThat(kv.getValue()).isEqualTo(binaryValue);
    }

    @Test
    default void emptyKeyIsRejected() {
        assertEtcdError(kv().put(ByteSequence.EMPTY, bytes("v")), Status.Code.INVALID_ARGUMENT,
                "etcdserver: key is not provided");
        assertEtcdError(kv().get(ByteSequence.EMPTY), Status.Code.INVALID_ARGUMENT,
                "etcdserver: key is not provided");
    }

    @Test
    default void putWithAnUnknownLeaseFails() {
        assertEtcdError(kv().put(key("k"), bytes("v"), PutOption.builder().withLeaseId(0x7eadbeefL).build()),
                Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
        assertThat(await(kv().get(key("k"))).getKvs()).isEmpty();
    }

    private KVGrpc.KVBlockingStub stub() {
        return KVGrpc.newBlockingStub(channel()).withDeadlineAfter(Wire.REQUEST_TIMEOUT);
    }

    private static ByteString raw(ByteSequence bytes) {
        return ByteString.copyFrom(bytes.getBytes());
    }

    @Test
    default void putWithIgnoreValueKeepsTheValue() {
        long first = put("k", "v1");
        var response = stub().put(PutRequest.newBuilder().setKey(raw(key("k"))).setIgnoreValue(true)
                .setPrevKv(true).build());
        assertThat(response.getPrevKv().getValue().toStringUtf8()).isEqualTo("v1");
        KeyValue kv = await(kv().get(key("k"))).getKvs().get(0);
        assertThat(text(kv.getValue())).isEqualTo("v1");
        assertThat(kv.getVersion()).isEqualTo(2);
        assertThat(kv.getModRevision()).isEqualTo(first + 1);

        assertEtcdError(() -> stub().put(PutRequest.newBuilder().setKey(raw(key("missing"))).setIgnoreValue(true)
                .build()), Status.Code.INVALID_ARGUMENT, "etcdserver: key not found");
        assertEtcdError(() -> stub().put(PutRequest.newBuilder().setKey(raw(key("k"))).setIgnoreValue(true)
                .setValue(ByteString.copyFromUtf8("x")).build()), Status.Code.INVALID_ARGUMENT,
                "etcdserver: value is provided");
    }

    @Test
    default void putWithIgnoreLeaseKeepsTheLease() {
        long lease = await(client().getLeaseClient().grant(60)).getID();
        await(kv().put(key("k"), bytes("v1"), PutOption.builder().withLeaseId(lease).build()));
        stub().put(PutRequest.newBuilder().setKey(raw(key("k"))).setValue(ByteString.copyFromUtf8("v2"))
                .setIgnoreLease(true).build());
        KeyValue kv = await(kv().get(key("k"))).getKvs().get(0);
        assertThat(text(kv.getValue())).isEqualTo("v2");
        assertThat(kv.getLease()).isEqualTo(lease);
        assertEtcdError(() -> stub().put(PutRequest.newBuilder().setKey(raw(key("k"))).setIgnoreLease(true)
                .setLease(lease).build()), Status.Code.INVALID_ARGUMENT, "etcdserver: lease is provided");
        await(client().getLeaseClient().revoke(lease));
        assertThat(await(kv().get(key("k"))).getKvs()).isEmpty();
    }

    /** Above --max-request-bytes (default 1.5 MiB) but below gRPC's own limit (that plus 512 KiB). */
    @Test
    default void aRequestOverTheSizeLimitIsRejected() {
        ByteSequence big = ByteSequence.from(new byte[1_800_000]);
        assertEtcdError(kv().put(key("big"), big), Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large");
        assertThat(await(kv().get(key("big"))).getKvs()).isEmpty();
        await(kv().put(key("fits"), ByteSequence.from(new byte[1_000_000])));
        assertThat(await(kv().get(key("fits"))).getKvs().get(0).getValue().size()).isEqualTo(1_000_000);
    }

    /** A range end of a single zero byte means every key from the start key on. */
    @Test
    default void rangeEndOfZeroByteReadsToTheEnd() {
        put("a", "1");
        put("b", "2");
        GetResponse got = await(kv().get(key("a"),
                GetOption.builder().withRange(ByteSequence.from(new byte[] {0})).withKeysOnly(true).build()));
        List<String> found = keys(got.getKvs());
        assertThat(found).startsWith(prefix() + "a", prefix() + "b");
        assertThat(found).isSorted();
        assertThat(got.getCount()).isEqualTo(found.size());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
