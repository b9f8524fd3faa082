package io.keel.cli.contract;

import static io.keel.cli.contract.Wire.assertEtcdError;
import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.GetOption;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Compaction: reads below the compact revision fail, the compact revision itself stays readable. */
public interface CompactContract extends StoreFixture {

    String COMPACTED = "etcdserver: mvcc: required revision has been compacted";

    private KV kv() {
        return client().getKVClient();
    }

    private long put(String name, String value) {
        return await(kv().put(key(name), bytes(value))).getHeader().getRevision();
    }

    private GetOption at(long revision) {
        return GetOption.builder().withRevision(revision).build();
    }

    @Test
    default void readsBelowTheCompactRevisionFailAndAtItSucceed() {
        long r1 = put("k", "v1");
        long r2 = put("k", "v2");
        long r3 = put("k", "v3");
        await(kv().compact(r2));

        assertEtcdError(kv().get(key("k"), at(r1)), Status.Code.OUT_OF_RANGE, COMPACTED);
        assertThat(values(await(kv().get(key("k"), at(r2))).getKvs())).containsExactly("v2");
        assertThat(values(await(kv().get(key("k"), at(r3))).getKvs())).containsExactly("v3");
        assertThat(values(await(kv().get(key("k"))).getKvs())).containsExactly("v3");
        assertThat(await(kv().get(key("k"))).getKvs().get(0).getVersion()).isEqualTo(3);
    }

    @Test
    default void compactingAtOrBelowTheCompactRevisionFails() {
        long r1 = put("k", "v1");
        long r2 = put("k", "v2");
        await(kv().compact(r2, CompactOption.builder().withCompactPhysical(true).build()));
        assertEtcdError(kv().compact(r2), Status.Code.OUT_OF_RANGE, COMPACTED);
        assertEtcdError(kv().compact(r1), Status.Code.OUT_OF_RANGE, COMPACTED);
    }

    @Test
    default void compactingAFutureRevisionFails() {
        long rev = put("k", "v");
        assertEtcdError(kv().compact(rev + 1000), Status.Code.OUT_OF_RANGE, KvContract.FUTURE_REVISION);
        assertThat(values(await(kv().get(key("k"), at(rev))).getKvs())).containsExactly("v");
    }

    @Test
    default void compactionDropsDeletedKeysButKeepsLiveOnes() {
        put("gone", "x");
        await(kv().delete(key("gone")));
        long live = put("live", "y");
        await(kv().compact(live));
        assertThat(Wire.keys(await(kv().get(prefixKey(),
                GetOption.builder().isPrefix(true).withRevision(live).build())).getKvs()))
                .containsExactly(prefix() + "live");
        assertThat(await(kv().get(key("gone"), at(live))).getKvs()).isEmpty();
    }

    @Test
    default void aTxnReadingBelowTheCompactRevisionFails() {
        long r1 = put("k", "v1");
        long r2 = put("k", "v2");
        await(kv().compact(r2));
        assertEtcdError(kv().txn().Then(Op.get(key("k"), at(r1))).commit(), Status.Code.OUT_OF_RANGE, COMPACTED);
    }
}
