package io.keel.cluster.node;

import io.keel.cluster.registry.LeaseKeeper;
import io.keel.cluster.registry.MachineRecord;
import io.keel.cluster.registry.Registry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A machine's presence in the cluster: its record at {@code /keel/machines/<id>} on a lease with
 * the agent TTL, kept alive for as long as the node runs. When the lease is lost (the store was
 * unreachable for longer than the TTL) the machine registers again on a new lease; the engine has
 * meanwhile moved its units away, as it should.
 *
 * <pre>
 * LATENT -> REGISTERING -> REGISTERED <-> SUSPENDED
 *                ^              |             |
 *                +--- lease lost ---------------+        any -> CLOSED
 * </pre>
 *
 * All work happens on the injected single-threaded executor.
 */
public final class MachinePresence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MachinePresence.class);

    public enum State {
        LATENT, REGISTERING, REGISTERED, SUSPENDED, CLOSED;

        private static final Map<State, Set<State>> NEXT = Map.of(
                LATENT, Set.of(REGISTERING, CLOSED),
                REGISTERING, Set.of(REGISTERED, CLOSED),
                REGISTERED, Set.of(SUSPENDED, REGISTERING, CLOSED),
                SUSPENDED, Set.of(REGISTERED, REGISTERING, CLOSED),
                CLOSED, Set.of());

        public boolean canMoveTo(State next) {
            return NEXT.get(this).contains(next);
        }
    }

    private final Registry registry;
    private final MachineRecord machine;
    private final ScheduledExecutorService executor;
    private final LeaseKeeper session;
    private final CompletableFuture<Void> firstRegistration = new CompletableFuture<>();
    private volatile State state = State.LATENT;
    private long registeredLease;
    private boolean warnedTaken;

    public MachinePresence(Registry registry, MachineRecord machine, Duration ttl, ScheduledExecutorService executor,
            Clock clock) {
        this.registry = registry;
        this.machine = machine;
        this.executor = executor;
        this.session = new LeaseKeeper(registry.client().getLeaseClient(), ttl, executor, clock,
                "machine " + machine.id(), this::sessionChanged);
    }

    public MachineRecord machine() {
        return machine;
    }

    public State state() {
        return state;
    }

    /** The lease the machine record is on now (0 if none); agents put their state keys on it. */
    public long lease() {
        return session.lease();
    }

    /** Starts registering; the future completes at the first successful registration. */
    public CompletableFuture<Void> start() {
        executor.execute(() -> {
            move(State.REGISTERING);
            session.start();
        });
        return firstRegistration;
    }

    private void sessionChanged(LeaseKeeper.State from, LeaseKeeper.State to, long lease) {
        switch (to) {
            case CONNECTED -> {
                if (lease == registeredLease && state == State.SUSPENDED) {
                    move(State.REGISTERED);
                } else {
                    if (state != State.REGISTERING) {
                        move(State.REGISTERING);
                    }
                    register(lease);
                }
            }
            case SUSPENDED -> {
                if (state == State.REGISTERED) {
                    move(State.SUSPENDED);
                }
            }
            case LOST -> {
                registeredLease = 0;
                if (state == State.REGISTERED || state == State.SUSPENDED) {
                    move(State.REGISTERING);
                }
            }
            default -> { }
        }
    }

    private void register(long lease) {
        if (state == State.CLOSED || lease != session.lease() || lease == 0) {
            return;
        }
        registry.registerMachine(machine, lease).whenCompleteAsync((registered, error) -> {
            if (state == State.CLOSED || lease != session.lease()) {
                return;
            }
            if (error != null || !registered) {
                if (error == null && !warnedTaken) {
                    LOG.warn("machine {}: the id is registered by another live node; waiting for its lease to expire",
                            machine.id());
                    warnedTaken = true;
                } else if (error != null) {
                    LOG.info("machine {}: cannot register yet: {}", machine.id(), error.getMessage());
                }
                executor.schedule(() -> register(lease), session.ttl().toMillis() / 3, TimeUnit.MILLISECONDS);
                return;
            }
            registeredLease = lease;
            warnedTaken = false;
            move(State.REGISTERED);
            firstRegistration.complete(null);
        }, executor);
    }

    private void move(State next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("machine " + machine.id() + ": illegal transition " + state + " -> " + next);
        }
        LOG.info("machine {}: {} -> {}", machine.id(), state, next);
        state = next;
    }

    /** Revokes the lease: the machine leaves the cluster at once. Do not call on the executor. */
    @Override
    public void close() {
        session.close();
        try {
            executor.submit(() -> {
                if (state != State.CLOSED) {
                    move(State.CLOSED);
                }
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            state = State.CLOSED;
        }
        firstRegistration.completeExceptionally(new IllegalStateException("machine presence closed"));
    }
}
