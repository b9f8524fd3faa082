package io.keel.testkit.nemesis;

import io.keel.testkit.StoreCluster;
import io.keel.testkit.StoreClusterMember;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects faults into a {@link StoreCluster} on a schedule while a workload runs: a quiet period,
 * a fault, the fault undone, another quiet period, and so on until {@link #stop()}. Faults never
 * overlap. Which fault, which member and every duration come from a {@link Random} seeded with
 * {@link #seed()}, so a schedule can be replayed (the leader a leader-targeted fault hits depends
 * on the run).
 *
 * <p>All actions run on one scheduler thread; a failed action (a member that does not come back
 * in time) is recorded as an event and the schedule goes on. Every action is recorded with its
 * time, for lining up with a client history ({@link #timeline}).
 */
public final class Nemesis implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Nemesis.class);

    private final StoreCluster cluster;
    private final long seed;
    private final Random random;
    private final List<FaultKind> kinds;
    private final Duration faultMin;
    private final Duration faultMax;
    private final Duration quietMin;
    private final Duration quietMax;
    private final Duration runFor;
    private final LongSupplier clock;
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    private final List<NemesisEvent> events = new CopyOnWriteArrayList<>();
    private volatile long startedAt;
    private final ScheduledExecutorService scheduler;
    private volatile boolean stopped;
    private Fault active;

    private Nemesis(Builder b) {
        this.cluster = b.cluster;
        this.seed = b.seed;
        this.random = new Random(b.seed);
        this.kinds = List.copyOf(b.kinds);
        this.faultMin = b.faultMin;
        this.faultMax = b.faultMax;
        this.quietMin = b.quietMin;
        this.quietMax = b.quietMax;
        this.runFor = b.runFor;
        this.clock = System::nanoTime;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nemesis");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder(StoreCluster cluster) {
        return new Builder(cluster);
    }

    public long seed() {
        return seed;
    }

    /** Begins the schedule: the first fault comes after a quiet period. */
    public void start() {
        startedAt = clock.getAsLong();
        record("nemesis starts, seed " + seed + ", faults " + kinds);
        scheduleNextFault();
    }

    /**
     * Ends the schedule: waits for a running action, then undoes the active fault. Does not wait
     * for the cluster to recover: see {@link StoreCluster#heal}.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(3, TimeUnit.MINUTES)) {
                record("a nemesis action did not finish within 3 minutes");
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdownNow();
        }
        synchronized (this) {
            if (active != null) {
                healActive();
            }
        }
        record("nemesis stopped");
        done.countDown();
    }

    /**
     * Waits until the schedule is over: its {@link Builder#runFor} time has passed and the last
     * fault is undone (or {@link #stop()} was called). Returns false if that takes longer than
     * {@code timeout}.
     */
    public boolean awaitDone(Duration timeout) {
        try {
            return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Everything done so far, in order. */
    public List<NemesisEvent> events() {
        return List.copyOf(events);
    }

    /** The events, one per line, in seconds since {@code originNanos}. */
    public String timeline(long originNanos) {
        StringBuilder out = new StringBuilder();
        for (NemesisEvent e : events) {
            out.append(String.format(Locale.ROOT, "  %+9.3fs  %s%n", (e.nanoTime() - originNanos) / 1e9,
                    e.description()));
        }
        return out.toString();
    }

    /** How many faults were injected. */
    public long faultsInjected() {
        return events.stream().filter(e -> e.description().startsWith("inject ")).count();
    }

    private void scheduleNextFault() {
        Duration quiet = between(quietMin, quietMax);
        if (runFor != null && clock.getAsLong() - startedAt + quiet.toNanos() >= runFor.toNanos()) {
            record("schedule complete after " + faultsInjected() + " faults");
            done.countDown();
            return;
        }
        schedule(this::injectNext, quiet);
    }

    private void schedule(Runnable action, Duration delay) {
        if (stopped) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                if (!stopped) {
                    action.run();
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    private synchronized void injectNext() {
        Fault fault = choose(kinds.get(random.nextInt(kinds.size())));
        Duration duration = between(faultMin, faultMax);
        try {
            record("inject " + fault.describe() + " for " + duration.toMillis() + " ms");
            active = fault;
            fault.inject(cluster);
        } catch (RuntimeException | AssertionError e) {
            record("failed to inject " + fault.describe() + ": " + e);
        }
        schedule(this::healAndContinue, duration);
    }

    private synchronized void healAndContinue() {
        healActive();
        scheduleNextFault();
    }

    private void healActive() {
        Fault fault = active;
        active = null;
        if (fault == null) {
            return;
        }
        try {
            fault.heal(cluster);
            record("healed " + fault.describe());
        } catch (RuntimeException | AssertionError e) {
            record("failed to heal " + fault.describe() + ": " + e);
        }
    }

    private Fault choose(FaultKind kind) {
        List<String> names = cluster.members().stream().map(StoreClusterMember::name).toList();
        return switch (kind) {
            case KILL -> new Fault.Kill(any(names));
            case KILL_LEADER -> new Fault.Kill(leaderOrAny(names));
            case PAUSE -> new Fault.Pause(any(names));
            case PAUSE_LEADER -> new Fault.Pause(leaderOrAny(names));
            case ISOLATE -> isolate(any(names), names);
            case ISOLATE_LEADER -> isolate(leaderOrAny(names), names);
            case PARTITION -> {
                List<String> shuffled = new ArrayList<>(names);
                java.util.Collections.shuffle(shuffled, random);
                int minority = 1 + random.nextInt(Math.max(1, (names.size() - 1) / 2));
                yield new Fault.Partition(new HashSet<>(shuffled.subList(0, minority)),
                        new HashSet<>(shuffled.subList(minority, shuffled.size())));
            }
            case KILL_ALL -> new Fault.KillAll(names);
        };
    }

    private static Fault isolate(String member, List<String> names) {
        Set<String> rest = new HashSet<>(names);
        rest.remove(member);
        return new Fault.Partition(Set.of(member), rest);
    }

    private String any(List<String> names) {
        return names.get(random.nextInt(names.size()));
    }

    private String leaderOrAny(List<String> names) {
        String fallback = any(names);
        return cluster.leader().map(StoreClusterMember::name).orElse(fallback);
    }

    private Duration between(Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        return min.plusMillis(span <= 0 ? 0 : (long) (random.nextDouble() * span));
    }

    private void record(String description) {
        events.add(new NemesisEvent(clock.getAsLong(), description));
        log.info("nemesis: {}", description);
    }

    /** Options of a {@link Nemesis}; only the cluster is required. */
    public static final class Builder {
        private final StoreCluster cluster;
        private long seed = System.nanoTime();
        private Set<FaultKind> kinds = EnumSet.allOf(FaultKind.class);
        private Duration faultMin = Duration.ofSeconds(2);
        private Duration faultMax = Duration.ofSeconds(6);
        private Duration quietMin = Duration.ofSeconds(1);
        private Duration quietMax = Duration.ofSeconds(3);
        private Duration runFor;

        private Builder(StoreCluster cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder faults(FaultKind first, FaultKind... rest) {
            this.kinds = EnumSet.of(first, rest);
            return this;
        }

        /** How long each fault lasts: uniform in {@code [min, max]} (defaults 2 s to 6 s). */
        public Builder faultDuration(Duration min, Duration max) {
            this.faultMin = min;
            this.faultMax = max;
            return this;
        }

        /** The pause between faults: uniform in {@code [min, max]} (defaults 1 s to 3 s). */
        public Builder quietPeriod(Duration min, Duration max) {
            this.quietMin = min;
            this.quietMax = max;
            return this;
        }

        /**
         * Ends the schedule after {@code duration}: no fault starts after that (one that is
         * running is still undone at its time). Without it the schedule runs until {@link #stop()}.
         */
        public Builder runFor(Duration duration) {
            this.runFor = duration;
            return this;
        }

        public Nemesis build() {
            return new Nemesis(this);
        }
    }
}
