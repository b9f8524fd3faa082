package io.keel.cluster.registry;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.lease.NoSuchLeaseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store session: one lease, renewed every third of its TTL with single keep-alive calls on an
 * injected executor, with the session's state made explicit.
 *
 * <pre>
 * LATENT --start--> CONNECTED --renewal fails--> SUSPENDED --renewed--> CONNECTED
 *                       |                            |
 *                       +--lease gone--> LOST <------+ (lease reported gone, or TTL elapsed
 *                                         |              since the last renewal by the clock)
 *                                         +--old lease still alive--> CONNECTED (same lease id)
 *                                         +--new lease granted--> CONNECTED (new lease id)
 * any --close--> CLOSED (the lease is revoked, so its keys go at once)
 * </pre>
 *
 * <p>A session that lost its lease only because the store could not be reached first asks the
 * store about the old lease: a store that restarted extends its leases, so machines keep their
 * registrations (and their units) across a store outage.
 *
 * <p>Listeners run on the executor, which must be single-threaded. Time is read from the injected
 * {@link Clock}.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    public enum State {
        LATENT, CONNECTED, SUSPENDED, LOST, CLOSED;

        private static final Map<State, Set<State>> NEXT = Map.of(
                LATENT, Set.of(CONNECTED, LOST, CLOSED),
                CONNECTED, Set.of(SUSPENDED, LOST, CLOSED),
                SUSPENDED, Set.of(CONNECTED, LOST, CLOSED),
                LOST, Set.of(CONNECTED, CLOSED),
                CLOSED, Set.of());

        public boolean canMoveTo(State next) {
            return NEXT.get(this).contains(next);
        }
    }

    /** Hears every state change, on the executor. {@code lease} is the lease now held (0 if none). */
    public interface Listener {
        void stateChanged(State from, State to, long lease);
    }

    private final Lease leases;
    private final Duration ttl;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final String name;
    private final Listener listener;
    private State state = State.LATENT;
    private long lease;
    private long lostLease;
    private Instant lastRenewed;
    private ScheduledFuture<?> timer;

    /**
     * @param name what the session is for, in log lines ("machine 1a2b...", "engine")
     */
    public LeaseKeeper(Lease leases, Duration ttl, ScheduledExecutorService executor, Clock clock, String name,
            Listener listener) {
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("lease TTL must be at least 1s, got " + ttl);
        }
        this.leases = leases;
        this.ttl = ttl;
        this.executor = executor;
        this.clock = clock;
        this.name = name;
        this.listener = listener;
    }

    /** Grants the first lease and starts renewing it. Returns at once. */
    public void start() {
        executor.execute(this::grant);
    }

    /** The current state; call on the executor for a consistent answer. */
    public State state() {
        return state;
    }

    /** The lease held now, 0 if none. */
    public long lease() {
        return lease;
    }

    public Duration ttl() {
        return ttl;
    }

    private void grant() {
        if (state == State.CLOSED) {
            return;
        }
        if (lostLease != 0) {
            reclaim();
        } else {
            grantNew();
        }
    }

    private void grantNew() {
        leases.grant(ttl.toSeconds()).orTimeout(renewEvery().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((granted, error) -> {
                    if (state == State.CLOSED) {
                        if (granted != null) {
                            leases.revoke(granted.getID());
                        }
                        return;
                    }
                    if (error != null) {
                        if (state != State.LOST) {
                            move(State.LOST);
                        }
                        LOG.debug("{}: cannot grant a lease yet: {}", name, cause(error).getMessage());
                        schedule(this::grant, renewEvery());
                        return;
                    }
                    lostLease = 0;
                    lease = granted.getID();
                    lastRenewed = clock.instant();
                    move(State.CONNECTED);
                    schedule(this::renew, renewEvery());
                }, executor);
    }

    /**
     * After the store was unreachable for longer than the TTL, first asks whether the old lease is
     * still alive (a store that restarted extends its leases): if so the session goes on with it and
     * nothing attached to it moves. Otherwise (gone, or no answer) a new lease is asked for; while
     * the store cannot be reached at all, both are tried again.
     */
    private void reclaim() {
        long old = lostLease;
        leases.keepAliveOnce(old).orTimeout(renewEvery().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((response, error) -> {
                    if (state == State.CLOSED) {
                        return;
                    }
                    if (error == null && response.getTTL() > 0) {
                        lostLease = 0;
                        lease = old;
                        lastRenewed = clock.instant();
                        move(State.CONNECTED);
                        schedule(this::renew, renewEvery());
                        return;
                    }
                    Throwable cause = error == null ? null : cause(error);
                    if (error == null || cause instanceof NoSuchLeaseException
                            || cause instanceof EtcdException e && e.getErrorCode() == ErrorCode.NOT_FOUND) {
                        lostLease = 0;
                    }
                    grantNew();
                }, executor);
    }

    private void renew() {
        if (state == State.CLOSED) {
            return;
        }
        long renewing = lease;
        leases.keepAliveOnce(renewing).orTimeout(renewEvery().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((response, error) -> {
                    if (state == State.CLOSED || renewing != lease) {
                        return;
                    }
                    if (error == null && response.getTTL() > 0) {
                        lastRenewed = clock.instant();
                        if (state != State.CONNECTED) {
                            move(State.CONNECTED);
                        }
                        schedule(this::renew, renewEvery());
                        return;
                    }
                    Throwable cause = error == null ? null : cause(error);
                    boolean gone = error == null || cause instanceof NoSuchLeaseException
                            || cause instanceof EtcdException e && e.getErrorCode() == ErrorCode.NOT_FOUND;
                    boolean expired = Duration.between(lastRenewed, clock.instant()).compareTo(ttl) >= 0;
                    if (gone || expired) {
                        lostLease = gone ? 0 : renewing;
                        lease = 0;
                        move(State.LOST);
                        grant();
                        return;
                    }
                    if (state != State.SUSPENDED) {
                        LOG.info("{}: cannot renew lease {} ({}); retrying until it would have expired",
                                name, Long.toHexString(renewing), cause.getMessage());
                        move(State.SUSPENDED);
                    }
                    schedule(this::renew, renewEvery().dividedBy(3));
                }, executor);
    }

    private Duration renewEvery() {
        return ttl.dividedBy(3);
    }

    private void schedule(Runnable task, Duration delay) {
        timer = executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void move(State next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(name + ": illegal lease session transition " + state + " -> " + next);
        }
        State previous = state;
        state = next;
        LOG.info("{}: store session {} -> {}{}", name, previous, next,
                lease == 0 ? "" : " (lease " + Long.toHexString(lease) + ", TTL " + ttl.toSeconds() + "s)");
        listener.stateChanged(previous, next, lease);
    }

    /**
     * Stops renewing and revokes the lease, so everything attached to it disappears now rather than
     * when the TTL runs out. Completes when the revoke was answered (or failed).
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (state == State.CLOSED) {
                    done.complete(null);
                    return;
                }
                long held = lease;
                if (timer != null) {
                    timer.cancel(false);
                }
                move(State.CLOSED);
                lease = 0;
                if (held == 0) {
                    done.complete(null);
                    return;
                }
                leases.revoke(held).orTimeout(ttl.toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((r, e) -> done.complete(null));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return;
        }
        done.orTimeout(ttl.toMillis() + 1000, TimeUnit.MILLISECONDS).exceptionally(e -> null).join();
    }

    /**
     * Drops the lease without revoking it, as a crashed process would: renewals stop and the store
     * lets the lease expire after its TTL.
     */
    public void abandon() {
        try {
            executor.execute(() -> {
                if (timer != null) {
                    timer.cancel(false);
                }
                if (state != State.CLOSED) {
                    move(State.CLOSED);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // already shut down
        }
    }

    private static Throwable cause(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
