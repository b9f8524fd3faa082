package io.keel.cli.contract;

import static io.keel.cli.contract.Wire.assertEtcdError;
import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.keys;
import static io.keel.cli.contract.Wire.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.keel.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Lease: grant, keep-alive, time-to-live with keys, revoke and expiry, the lease list. */
public interface LeaseContract extends StoreFixture {

    String LEASE_NOT_FOUND = "etcdserver: requested lease not found";
    /** etcd's floor for a TTL with the default election timeout: ceil(1.5 * 1s). */
    long MIN_TTL = 2;

    private Lease lease() {
        return client().getLeaseClient();
    }

    private KV kv() {
        return client().getKVClient();
    }

    private long grant(long ttl) {
        return await(lease().grant(ttl)).getID();
    }

    private long putWithLease(String name, long leaseId) {
        return await(kv().put(key(name), bytes(name), PutOption.builder().withLeaseId(leaseId).build()))
                .getHeader().getRevision();
    }

    private LeaseTimeToLiveResponse timeToLive(long id) {
        return await(lease().timeToLive(id, LeaseOption.builder().withAttachedKeys().build()));
    }

    private LeaseGrpc.LeaseBlockingStub stub() {
        return LeaseGrpc.newBlockingStub(channel()).withDeadlineAfter(Wire.REQUEST_TIMEOUT);
    }

    private static long unusedLeaseId() {
        return ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
    }

    @Test
    default void grantReturnsAnIdAndTheTtl() {
        var granted = await(lease().grant(60));
        assertThat(granted.getID()).isPositive();
        assertThat(granted.getTTL()).isEqualTo(60);
        LeaseTimeToLiveResponse ttl = timeToLive(granted.getID());
        assertThat(ttl.getID()).isEqualTo(granted.getID());
        assertThat(ttl.getGrantedTTL()).isEqualTo(60);
        assertThat(ttl.getTTL()).isBetween(55L, 60L);
        assertThat(ttl.getKeys()).isEmpty();
        await(lease().revoke(granted.getID()));
    }

    @Test
    default void grantBelowTheMinimumTtlIsRaisedToIt() {
        var granted = await(lease().grant(1));
        assertThat(granted.getTTL()).isEqualTo(MIN_TTL);
        assertThat(timeToLive(granted.getID()).getGrantedTTL()).isEqualTo(MIN_TTL);
        await(lease().revoke(granted.getID()));
    }

    @Test
    default void grantWithAChosenIdKeepsItAndRefusesItTwice() {
        long id = unusedLeaseId();
        LeaseGrantResponse granted = stub().leaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(60).build());
        assertThat(granted.getID()).isEqualTo(id);
        assertThat(granted.getTTL()).isEqualTo(60);
        assertEtcdError(() -> stub().leaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(60).build()),
                Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists");
        await(lease().revoke(id));
    }

    @Test
    default void grantOfATooLargeTtlFails() {
        assertEtcdError(lease().grant(9_000_000_001L), Status.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL");
    }

    @Test
    default void keepAliveOnceRefreshesTheTtl() {
        long id = grant(60);
        var kept = await(lease().keepAliveOnce(id));
        assertThat(kept.getID()).isEqualTo(id);
        assertThat(kept.getTTL()).isEqualTo(60);
        assertThat(timeToLive(id).getTTL()).isBetween(55L, 60L);
        await(lease().revoke(id));
    }

    /**
     * On etcd's generated stub: jetcd's own {@code Lease.keepAlive} needs Vert.x, which fails on
     * this module's test classpath (netty 4.1 from grpc-netty versus netty 4.2 for Vert.x 5).
     */
    @Test
    default void keepAliveStreamAnswersEveryRequestWithTheFullTtl() {
        long id = grant(30);
        assertThat(keepAliveStream(id, 3)).allSatisfy(response -> {
            assertThat(response.getID()).isEqualTo(id);
            assertThat(response.getTTL()).isEqualTo(30);
            assertThat(response.getHeader().getRevision()).isPositive();
        });
        await(lease().revoke(id));
    }

    /** etcd answers a keep-alive for an unknown lease with TTL 0, not with an error. */
    @Test
    default void keepAliveOfAnUnknownLeaseAnswersTtlZero() {
        long id = unusedLeaseId();
        LeaseKeepAliveResponse response = keepAliveStream(id, 1).get(0);
        assertThat(response.getID()).isEqualTo(id);
        assertThat(response.getTTL()).isZero();
    }

    /** Sends {@code count} keep-alives for {@code id} on one stream and returns the answers. */
    private List<LeaseKeepAliveResponse> keepAliveStream(long id, int count) {
        BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(channel())
                .leaseKeepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answers.add(t);
                    }

                    @Override
                    public void onCompleted() {
                        answers.add("the server ended the keep-alive stream");
                    }
                });
        List<LeaseKeepAliveResponse> received = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
                Object answer = answers.poll(Wire.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (!(answer instanceof LeaseKeepAliveResponse response)) {
                    throw new AssertionError("keep-alive " + (i + 1) + " of lease " + id + " got " + answer);
                }
                received.add(response);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            requests.onCompleted();
        }
        return received;
    }

    @Test
    default void timeToLiveListsTheAttachedKeys() {
        long id = grant(60);
        putWithLease("a", id);
        putWithLease("b", id);
        await(kv().put(key("c"), bytes("c")));
        LeaseTimeToLiveResponse ttl = timeToLive(id);
        assertThat(ttl.getKeys().stream().map(Wire::text).toList())
                .containsExactlyInAnyOrder(prefix() + "a", prefix() + "b");
        assertThat(await(kv().get(key("a"))).getKvs().get(0).getLease()).isEqualTo(id);
        LeaseTimeToLiveResponse withoutKeys = await(lease().timeToLive(id, LeaseOption.DEFAULT));
        assertThat(withoutKeys.getKeys()).isEmpty();
        await(lease().revoke(id));
    }

    /** etcd answers TimeToLive of an unknown lease with TTL -1, not with an error. */
    @Test
    default void timeToLiveOfAnUnknownLeaseIsMinusOne() {
        long id = unusedLeaseId();
        var response = stub().leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build());
        assertThat(response.getID()).isEqualTo(id);
        assertThat(response.getTTL()).isEqualTo(-1);
        assertThat(response.getKeysList()).isEmpty();
    }

    @Test
    default void revokeDeletesTheAttachedKeysInOneRevision() {
        long id = grant(60);
        putWithLease("a", id);
        putWithLease("b", id);
        long before = await(kv().put(key("c"), bytes("c"))).getHeader().getRevision();

        long revoked = await(lease().revoke(id)).getHeader().getRevision();
        assertThat(revoked).isEqualTo(before + 1);
        assertThat(keys(await(kv().get(prefixKey(), GetOption.builder().isPrefix(true).build())).getKvs()))
                .containsExactly(prefix() + "c");
        assertThat(timeToLive(id).getTTL()).isEqualTo(-1);

        WatchRecorder recorder = new WatchRecorder();
        try (Watch.Watcher ignored = client().getWatchClient().watch(prefixKey(),
                WatchOption.builder().isPrefix(true).withRevision(revoked).build(), recorder)) {
            List<WatchEvent> events = recorder.awaitEvents(2);
            assertThat(events).allSatisfy(e -> {
                assertThat(e.getEventType()).isEqualTo(WatchEvent.EventType.DELETE);
                assertThat(e.getKeyValue().getModRevision()).isEqualTo(revoked);
            });
        }
    }

    @Test
    default void revokeOfAnUnknownLeaseFails() {
        assertEtcdError(lease().revoke(unusedLeaseId()), Status.Code.NOT_FOUND, LEASE_NOT_FOUND);
    }

    @Test
    default void aPutWithoutTheLeaseDetachesTheKey() {
        long id = grant(60);
        putWithLease("k", id);
        await(kv().put(key("k"), bytes("plain")));
        assertThat(timeToLive(id).getKeys()).isEmpty();
        await(lease().revoke(id));
        assertThat(values(await(kv().get(key("k"))).getKvs())).containsExactly("plain");
        assertThat(await(kv().get(key("k"))).getKvs().get(0).getLease()).isZero();
    }

    @Test
    default void anExpiredLeaseDeletesItsKeysInOneRevision() {
        long id = grant(MIN_TTL);
        long start = putWithLease("a", id);
        putWithLease("b", id);
        Await.until(Duration.ofSeconds(30), "the lease's keys are deleted by expiry",
                () -> await(kv().get(prefixKey(), GetOption.builder().isPrefix(true).withCountOnly(true).build()))
                        .getCount() == 0);
        assertThat(timeToLive(id).getTTL()).isEqualTo(-1);

        WatchRecorder recorder = new WatchRecorder();
        try (Watch.Watcher ignored = client().getWatchClient().watch(prefixKey(),
                WatchOption.builder().isPrefix(true).withRevision(start).withNoPut(true).build(), recorder)) {
            List<WatchEvent> deletes = recorder.awaitEvents(2);
            assertThat(deletes.get(0).getKeyValue().getModRevision())
                    .isEqualTo(deletes.get(1).getKeyValue().getModRevision());
        }
        assertEtcdError(lease().revoke(id), Status.Code.NOT_FOUND, LEASE_NOT_FOUND);
    }

    @Test
    default void leasesListsTheLiveLeases() {
        long a = grant(60);
        long b = grant(60);
        assertThat(listedLeases()).contains(a, b);
        await(lease().revoke(a));
        assertThat(listedLeases()).contains(b).doesNotContain(a);
        await(lease().revoke(b));
        assertThat(listedLeases()).doesNotContain(a, b);
    }

    private List<Long> listedLeases() {
        return LeaseList.ids(channel());
    }
}
