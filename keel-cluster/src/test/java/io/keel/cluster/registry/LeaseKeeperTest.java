package io.keel.cluster.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseRevokeResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.keel.testkit.Await;
import io.keel.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store session's states, driven by a fake lease service and a clock the test moves. */
class LeaseKeeperTest {

    private static final Duration TTL = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** What the fake lease service answers to keep-alives. */
    enum Answer { OK, UNAVAILABLE, NOT_FOUND }

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeLeases leases = new FakeLeases();
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final LeaseKeeper keeper = new LeaseKeeper(leases, TTL, executor, clock, "test",
            (from, to, lease) -> changes.add(from + "->" + to + "@" + lease));

    @AfterEach
    void stop() {
        keeper.close();
        executor.shutdownNow();
    }

    @Test
    void aGrantedLeaseIsConnectedAndRenewed() {
        keeper.start();
        Await.until(WAIT, "renewed twice", () -> leases.keepAlives.get() >= 2);
        assertThat(changes).containsExactly("LATENT->CONNECTED@1");
    }

    @Test
    void failedRenewalsSuspendTheSessionUntilTheTtlHasPassedThenTheLeaseIsLostAndReplaced() {
        keeper.start();
        Await.until(WAIT, "connected", () -> changes.size() == 1);
        leases.answer = Answer.UNAVAILABLE;
        Await.until(WAIT, "suspended", () -> changes.contains("CONNECTED->SUSPENDED@1"));

        leases.answer = Answer.OK;
        Await.until(WAIT, "connected again", () -> changes.contains("SUSPENDED->CONNECTED@1"));

        leases.answer = Answer.UNAVAILABLE;
        Await.until(WAIT, "suspended again", () -> changes.stream().filter(c -> c.equals("CONNECTED->SUSPENDED@1")).count() == 2);
        clock.advance(TTL.plusMillis(1));
        Await.until(WAIT, "a new lease", () -> changes.contains("LOST->CONNECTED@2"));
        assertThat(changes).contains("SUSPENDED->LOST@0");
    }

    @Test
    void afterAnOutageLongerThanTheTtlTheOldLeaseIsKeptIfTheStoreStillHasIt() {
        keeper.start();
        Await.until(WAIT, "connected", () -> changes.size() == 1);
        leases.answer = Answer.UNAVAILABLE;
        leases.grantsFail = true;
        Await.until(WAIT, "suspended", () -> changes.contains("CONNECTED->SUSPENDED@1"));
        clock.advance(TTL.plusMillis(1));
        Await.until(WAIT, "lost", () -> changes.contains("SUSPENDED->LOST@0"));
        long attempts = leases.keepAlives.get();
        Await.until(WAIT, "the old lease asked about again", () -> leases.keepAlives.get() > attempts + 1);

        leases.answer = Answer.OK;
        leases.grantsFail = false;
        Await.until(WAIT, "connected on the old lease", () -> changes.contains("LOST->CONNECTED@1"));
        assertThat(keeper.lease()).isEqualTo(1);
        assertThat(leases.nextId.get()).as("no second lease granted").isEqualTo(2);
    }

    @Test
    void aLeaseTheStoreNoLongerKnowsIsLostAtOnce() {
        keeper.start();
        Await.until(WAIT, "connected", () -> changes.size() == 1);
        leases.answer = Answer.NOT_FOUND;
        Await.until(WAIT, "lost", () -> changes.contains("CONNECTED->LOST@0"));
        leases.answer = Answer.OK;
        Await.until(WAIT, "replaced", () -> changes.contains("LOST->CONNECTED@2"));
    }

    @Test
    void closingRevokesTheLease() {
        keeper.start();
        Await.until(WAIT, "connected", () -> changes.size() == 1);
        keeper.close();
        assertThat(leases.revoked).containsExactly(1L);
        assertThat(keeper.state()).isEqualTo(LeaseKeeper.State.CLOSED);
    }

    @Test
    void legalTransitionsOnly() {
        assertThat(LeaseKeeper.State.LATENT.canMoveTo(LeaseKeeper.State.SUSPENDED)).isFalse();
        assertThat(LeaseKeeper.State.LOST.canMoveTo(LeaseKeeper.State.SUSPENDED)).isFalse();
        assertThat(LeaseKeeper.State.CLOSED.canMoveTo(LeaseKeeper.State.CONNECTED)).isFalse();
        assertThat(LeaseKeeper.State.SUSPENDED.canMoveTo(LeaseKeeper.State.LOST)).isTrue();
    }

    private static final class FakeLeases implements Lease {
        volatile Answer answer = Answer.OK;
        volatile boolean grantsFail;
        final AtomicLong nextId = new AtomicLong(1);
        final AtomicLong keepAlives = new AtomicLong();
        final List<Long> revoked = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<LeaseGrantResponse> grant(long ttl) {
            if (grantsFail) {
                return CompletableFuture.failedFuture(Status.UNAVAILABLE.asRuntimeException());
            }
            return CompletableFuture.completedFuture(new LeaseGrantResponse(
                    io.etcd.jetcd.api.LeaseGrantResponse.newBuilder().setID(nextId.getAndIncrement()).setTTL(ttl).build()));
        }

        @Override
        public CompletableFuture<LeaseGrantResponse> grant(long ttl, long timeout, TimeUnit unit) {
            return grant(ttl);
        }

        @Override
        public CompletableFuture<LeaseRevokeResponse> revoke(long leaseId) {
            revoked.add(leaseId);
            return CompletableFuture.completedFuture(new LeaseRevokeResponse(
                    io.etcd.jetcd.api.LeaseRevokeResponse.getDefaultInstance()));
        }

        @Override
        public CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(long leaseId) {
            keepAlives.incrementAndGet();
            return switch (answer) {
                case OK -> CompletableFuture.completedFuture(new LeaseKeepAliveResponse(
                        io.etcd.jetcd.api.LeaseKeepAliveResponse.newBuilder().setID(leaseId).setTTL(1).build()));
                case UNAVAILABLE -> CompletableFuture.failedFuture(Status.UNAVAILABLE.asRuntimeException());
                case NOT_FOUND -> CompletableFuture.completedFuture(new LeaseKeepAliveResponse(
                        io.etcd.jetcd.api.LeaseKeepAliveResponse.newBuilder().setID(leaseId).setTTL(0).build()));
            };
        }

        @Override
        public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long leaseId, LeaseOption option) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CloseableClient keepAlive(long leaseId, StreamObserver<LeaseKeepAliveResponse> observer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }
}
