package io.keel.lifecycle.locksmith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * locksmithd for one machine: when a reboot is needed ({@link #rebootNeeded}), waits for the
 * reboot window, takes the reboot lock (strategy {@code etcd-lock}) and runs the
 * {@link RebootAction}; once the machine is back and healthy ({@link #machineHealthy}), releases
 * the lock.
 *
 * <ul>
 *   <li>{@code etcd-lock}: never reboots without holding the lock. While the store is unreachable
 *       or the semaphore is full it retries with capped exponential backoff.</li>
 *   <li>{@code reboot}: reboots inside the window without the lock.</li>
 *   <li>{@code off}: never reboots.</li>
 * </ul>
 *
 * <p>All work runs on the injected single-threaded executor, with time from the injected clock;
 * the public methods only submit work and may be called from any thread.
 */
public final class RebootCoordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RebootCoordinator.class);

    /** Where the coordinator is. */
    public enum State { IDLE, WAITING_FOR_WINDOW, WAITING_FOR_LOCK, REBOOTING, RELEASING, CLOSED }

    /** How this machine reboots. An empty window means any time. */
    public record Config(String machineId, Strategy strategy, Optional<RebootWindow> window, ZoneId zone,
            Backoff backoff) {

        public Config {
            Objects.requireNonNull(machineId, "machineId");
            Objects.requireNonNull(strategy, "strategy");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(backoff, "backoff");
        }
    }

    private final Config config;
    private final LockService lock;
    private final RebootAction action;
    private final Clock clock;
    private final ScheduledExecutorService executor;

    private volatile State state = State.IDLE;
    private boolean needed;
    private boolean releasePending;
    private int failures;
    private ScheduledFuture<?> timer;

    public RebootCoordinator(Config config, LockService lock, RebootAction action, Clock clock,
            ScheduledExecutorService executor) {
        this.config = config;
        this.lock = lock;
        this.action = action;
        this.clock = clock;
        this.executor = executor;
    }

    public State state() {
        return state;
    }

    /** A reboot is needed (an update was applied, or someone asked for one). */
    public void rebootNeeded() {
        executor.execute(() -> {
            if (state == State.CLOSED || needed) {
                return;
            }
            needed = true;
            LOG.info("reboot needed (strategy {}{})", config.strategy(),
                    config.window().map(w -> ", window " + w).orElse(""));
            if (!releasePending) {
                step();
            }
        });
    }

    /**
     * The machine is up and healthy (called by the node after start): releases the lock if this
     * machine holds it, retrying until the store confirms.
     */
    public void machineHealthy() {
        executor.execute(() -> {
            if (state == State.CLOSED) {
                return;
            }
            releasePending = true;
            failures = 0;
            release();
        });
    }

    @Override
    public void close() {
        executor.execute(() -> {
            cancelTimer();
            enter(State.CLOSED, "closed");
        });
    }

    private void step() {
        if (state == State.CLOSED || !needed || releasePending) {
            return;
        }
        if (config.strategy() == Strategy.OFF) {
            enter(State.IDLE, "strategy off: not rebooting");
            return;
        }
        Instant now = clock.instant();
        if (config.window().isPresent()) {
            Instant opens = config.window().get().nextOpening(now, config.zone());
            if (opens.isAfter(now)) {
                enter(State.WAITING_FOR_WINDOW, "outside the reboot window " + config.window().get()
                        + ": waiting until " + opens);
                schedule(this::step, Duration.between(now, opens));
                return;
            }
        }
        if (config.strategy() == Strategy.ETCD_LOCK && !acquire()) {
            return;
        }
        reboot();
    }

    private boolean acquire() {
        try {
            LockService.Locked locked = lock.lock(config.machineId());
            LOG.info("reboot lock {} for {}", locked == LockService.Locked.ACQUIRED ? "acquired" : "already held",
                    config.machineId());
            failures = 0;
            return true;
        } catch (RuntimeException e) {
            failures++;
            Duration delay = config.backoff().delay(failures);
            enter(State.WAITING_FOR_LOCK, "cannot take the reboot lock (" + e.getMessage() + "); retrying in "
                    + delay);
            schedule(this::step, delay);
            return false;
        }
    }

    private void reboot() {
        enter(State.REBOOTING, "rebooting");
        needed = false;
        try {
            action.reboot();
        } catch (Exception e) {
            LOG.warn("reboot failed: {}", e.getMessage());
            needed = true;
            releasePending = config.strategy() == Strategy.ETCD_LOCK;
            failures++;
            Duration delay = config.backoff().delay(failures);
            if (releasePending) {
                release();
            } else {
                enter(State.IDLE, "reboot failed; retrying in " + delay);
                schedule(this::step, delay);
            }
        }
    }

    private void release() {
        if (state == State.CLOSED) {
            return;
        }
        try {
            LockService.Unlocked unlocked = lock.unlock(config.machineId());
            releasePending = false;
            if (unlocked == LockService.Unlocked.RELEASED) {
                LOG.info("reboot lock released by {}", config.machineId());
            }
            enter(State.IDLE, "idle");
            if (needed) {
                Duration delay = failures == 0 ? Duration.ZERO : config.backoff().delay(failures);
                schedule(this::step, delay);
            }
        } catch (RuntimeException e) {
            failures++;
            Duration delay = config.backoff().delay(failures);
            enter(State.RELEASING, "cannot release the reboot lock (" + e.getMessage() + "); retrying in " + delay);
            schedule(this::release, delay);
        }
    }

    private void schedule(Runnable task, Duration delay) {
        cancelTimer();
        timer = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void enter(State next, String why) {
        if (state != next) {
            LOG.info("reboot coordinator {}: {} -> {}: {}", config.machineId(), state, next, why);
        }
        state = next;
    }
}
