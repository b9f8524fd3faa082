package io.keel.cluster.engine;

import io.keel.cluster.registry.ApplyResult;
import io.keel.cluster.registry.ClusterView;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.LeaderTerm;
import io.keel.cluster.registry.LeaseKeeper;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.Versioned;
import io.keel.cluster.registry.ViewWatcher;
import io.keel.cluster.schedule.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster engine: one candidate per node, one leader per cluster, and the leader reconciles
 * the schedule with the units and machines in the store.
 *
 * <p><b>Election.</b> Each engine holds its own lease ({@link LeaseKeeper}) and tries to create
 * {@code /keel/engine/leader} on it. The winner's term is the key's create revision; every write
 * it makes compares that revision, so a leader whose lease expired (or whose key was taken over)
 * can no longer change anything, even before it notices.
 *
 * <p><b>Reconciling.</b> The engine keeps a {@link ClusterView} current through a watch on
 * {@code /keel/}. The leader plans ({@link Reconciler}) whenever machines, units or the schedule
 * change, and every {@link EngineConfig#reconcileInterval()} regardless; at most one reconcile is in
 * flight, and the next one waits until the view has seen the previous one's writes. Decisions whose
 * revisions went stale in the meantime are not written; the watch brings the change and the next
 * reconcile decides again.
 *
 * <p><b>Threading.</b> Everything runs on the injected single-threaded executor; the public methods
 * may be called from any thread (but {@link #close()} not from the executor).
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Registry registry;
    private final String id;
    private final EngineConfig config;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final Reconciler reconciler = new Reconciler(new Scheduler());
    private final LeaseKeeper session;
    private final ViewWatcher watcher;
    private final List<Consumer<ReconcileReport>> listeners = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<ReconcileReport>> waiting = new ArrayList<>();

    private volatile EngineState state = EngineState.LATENT;
    private volatile ReconcileReport lastReport;
    private final java.util.concurrent.atomic.AtomicLong reconciles = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong applied = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong stale = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong transactions = new java.util.concurrent.atomic.AtomicLong();
    private LeaderTerm term;
    private ClusterView view;
    private boolean dirty;
    private boolean reconciling;
    private boolean campaigning;
    private long lastWriteRevision;
    /** View revision of the last reconcile that found nothing to do: planning again on it would too. */
    private long quietRevision = -1;
    private ScheduledFuture<?> ticker;

    /**
     * @param id this candidate's name in {@code /keel/engine/leader} (the node's machine id)
     */
    public Engine(Registry registry, String id, EngineConfig config, ScheduledExecutorService executor, Clock clock) {
        this.registry = registry;
        this.id = id;
        this.config = config;
        this.executor = executor;
        this.clock = clock;
        this.session = new LeaseKeeper(registry.client().getLeaseClient(), config.leaseTtl(), executor, clock,
                "engine " + id, this::sessionChanged);
        this.watcher = new ViewWatcher(registry, executor, new ViewWatcher.Listener() {
            @Override
            public void loaded(ClusterView loaded) {
                viewLoaded(loaded);
            }

            @Override
            public void changed(ClusterView current, Set<Keys.Ref> changed) {
                viewChanged(changed);
            }

            @Override
            public void failed(RuntimeException error) {
                LOG.info("engine {}: cannot load the cluster view yet: {}", id, error.getMessage());
            }
        });
    }

    public String id() {
        return id;
    }

    public EngineState state() {
        return state;
    }

    public boolean isLeader() {
        return state == EngineState.LEADER;
    }

    /** The last reconcile's report, if any ran. */
    public Optional<ReconcileReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    /** Counters since start, for metrics. */
    public record Stats(long reconciles, long decisionsApplied, long decisionsStale, long transactions) {}

    public Stats stats() {
        return new Stats(reconciles.get(), applied.get(), stale.get(), transactions.get());
    }

    /** Hears every reconcile's report, on the engine's executor. */
    public void onReconcile(Consumer<ReconcileReport> listener) {
        listeners.add(listener);
    }

    /** Starts the engine: watch the cluster, keep a lease, campaign. Returns at once. */
    public void start() {
        executor.execute(() -> {
            move(EngineState.CANDIDATE);
            watcher.start();
            session.start();
            long every = config.reconcileInterval().toMillis();
            ticker = executor.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Reconciles as soon as possible (after the one in flight, and once the view has caught up
     * with the engine's own writes). Completes with the report of that reconcile, or a skipped
     * report if this engine is not the leader.
     */
    public CompletableFuture<ReconcileReport> reconcileNow() {
        CompletableFuture<ReconcileReport> done = new CompletableFuture<>();
        executor.execute(() -> {
            waiting.add(done);
            dirty = true;
            maybeReconcile();
        });
        return done;
    }

    /** Runs {@code query} against the engine's current view on its executor (empty before the first load). */
    public <T> CompletableFuture<Optional<T>> inspect(Function<ClusterView, T> query) {
        return CompletableFuture.supplyAsync(() -> Optional.ofNullable(view).map(query), executor);
    }

    // ---- session and election

    private void sessionChanged(LeaseKeeper.State from, LeaseKeeper.State to, long lease) {
        if (state == EngineState.CLOSED) {
            return;
        }
        switch (to) {
            case CONNECTED -> {
                if (state == EngineState.SUSPENDED) {
                    move(EngineState.CANDIDATE);
                }
                if (state == EngineState.LEADER && term.lease() != lease) {
                    stepDown("its lease was replaced");
                } else {
                    campaign();
                }
            }
            case SUSPENDED -> {
                if (state == EngineState.LEADER || state == EngineState.CANDIDATE) {
                    term = null;
                    move(EngineState.SUSPENDED);
                }
            }
            case LOST -> {
                if (state == EngineState.LEADER) {
                    stepDown("its lease expired");
                } else if (state == EngineState.SUSPENDED) {
                    move(EngineState.CANDIDATE);
                }
            }
            default -> { }
        }
    }

    private void campaign() {
        long lease = session.lease();
        if (campaigning || state != EngineState.CANDIDATE || lease == 0) {
            return;
        }
        campaigning = true;
        registry.campaign(id, lease).whenCompleteAsync((won, error) -> {
            campaigning = false;
            if (state != EngineState.CANDIDATE || lease != session.lease()) {
                return;
            }
            if (error != null) {
                LOG.debug("engine {}: campaign failed: {}", id, error.getMessage());
                return;
            }
            if (won.isPresent()) {
                term = won.get();
                move(EngineState.LEADER);
                dirty = true;
                maybeReconcile();
            }
        }, executor);
    }

    private void stepDown(String why) {
        quietRevision = -1;
        LOG.info("engine {}: no longer the leader: {}", id, why);
        term = null;
        move(EngineState.CANDIDATE);
        campaign();
    }

    private void checkLeader() {
        Optional<Versioned<String>> leader = view.leader();
        if (state == EngineState.LEADER && view.revision() >= term.createRevision()
                && (leader.isEmpty() || leader.get().createRevision() != term.createRevision())) {
            stepDown(leader.isEmpty() ? "the leader key is gone" : "engine " + leader.get().value() + " took over");
        }
        if (state == EngineState.CANDIDATE && leader.isEmpty()) {
            campaign();
        }
    }

    private void tick() {
        if (state == EngineState.CANDIDATE) {
            campaign();
        } else if (state == EngineState.LEADER && (view == null || view.revision() != quietRevision)) {
            dirty = true;
            maybeReconcile();
        }
    }

    // ---- view

    private void viewLoaded(ClusterView loaded) {
        view = loaded;
        LOG.info("engine {}: cluster view loaded at revision {} ({} machines, {} units)", id, loaded.revision(),
                loaded.machines().size(), loaded.units().size());
        checkLeader();
        dirty = true;
        maybeReconcile();
    }

    private void viewChanged(Set<Keys.Ref> changed) {
        for (Keys.Ref ref : changed) {
            switch (ref) {
                case Keys.LeaderRef l -> checkLeader();
                case Keys.StateRef s -> { }
                case Keys.PolicyRef p -> { }
                default -> dirty = true;
            }
        }
        maybeReconcile();
    }

    // ---- reconcile

    private void maybeReconcile() {
        if (reconciling || (!dirty && waiting.isEmpty())) {
            return;
        }
        if (state != EngineState.LEADER || view == null) {
            dirty = false;
            finish(new ArrayList<>(), ReconcileReport.skipped(view == null ? 0 : view.revision()), false);
            return;
        }
        if (view.revision() < lastWriteRevision) {
            return; // the watch has not delivered our own writes yet; it calls us again when it does
        }
        dirty = false;
        reconciling = true;
        List<CompletableFuture<ReconcileReport>> served = new ArrayList<>(waiting);
        waiting.clear();
        Instant start = clock.instant();
        Reconciler.Plan plan;
        try {
            plan = reconciler.plan(view);
        } catch (RuntimeException e) {
            reconciling = false;
            LOG.error("engine {}: planning failed", id, e);
            served.forEach(f -> f.completeExceptionally(e));
            return;
        }
        Duration planTime = Duration.between(start, clock.instant());
        int placed = (int) plan.count(io.keel.cluster.registry.Decision.Place.class);
        int unscheduled = (int) plan.count(io.keel.cluster.registry.Decision.Unschedule.class);
        if (plan.decisions().isEmpty()) {
            reconciling = false;
            quietRevision = plan.viewRevision();
            finish(served, new ReconcileReport(plan.viewRevision(), 0, 0, 0, 0, 0, false, 0, planTime, Duration.ZERO),
                    true);
            return;
        }
        LeaderTerm writingAs = term;
        Instant writeStart = clock.instant();
        registry.apply(writingAs, plan.decisions(), config.maxTxnOps()).whenCompleteAsync((result, error) -> {
            reconciling = false;
            Duration writeTime = Duration.between(writeStart, clock.instant());
            ReconcileReport report;
            if (error != null) {
                LOG.warn("engine {}: writing {} decisions failed: {}", id, plan.decisions().size(), error.getMessage());
                report = new ReconcileReport(plan.viewRevision(), plan.decisions().size(), placed, unscheduled, 0,
                        plan.decisions().size(), false, 0, planTime, writeTime);
            } else {
                lastWriteRevision = Math.max(lastWriteRevision, result.lastRevision());
                report = report(plan, result, placed, unscheduled, planTime, writeTime);
                if (result.deposed() && state == EngineState.LEADER && term == writingAs) {
                    stepDown("a write found a newer leader");
                }
            }
            finish(served, report, true);
            maybeReconcile();
        }, executor);
    }

    private static ReconcileReport report(Reconciler.Plan plan, ApplyResult result, int placed, int unscheduled,
            Duration planTime, Duration writeTime) {
        return new ReconcileReport(plan.viewRevision(), plan.decisions().size(), placed, unscheduled, result.applied(),
                result.conflicts().size(), result.deposed(), result.transactions(), planTime, writeTime);
    }

    private void finish(List<CompletableFuture<ReconcileReport>> served, ReconcileReport report, boolean ran) {
        List<CompletableFuture<ReconcileReport>> all = new ArrayList<>(served);
        if (!ran) {
            all.addAll(waiting);
            waiting.clear();
        }
        if (ran) {
            lastReport = report;
            reconciles.incrementAndGet();
            applied.addAndGet(report.applied());
            stale.addAndGet(report.conflicts());
            transactions.addAndGet(report.transactions());
            if (report.decisions() > 0) {
                LOG.info("engine {}: reconciled at revision {}: {} placed, {} unscheduled, {} written, {} stale{}",
                        id, report.viewRevision(), report.placed(), report.unscheduled(), report.applied(),
                        report.conflicts(), report.deposed() ? ", deposed" : "");
            }
            for (Consumer<ReconcileReport> listener : listeners) {
                listener.accept(report);
            }
        }
        all.forEach(f -> f.complete(report));
    }

    private void move(EngineState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("engine " + id + ": illegal transition " + state + " -> " + next);
        }
        LOG.info("engine {}: {} -> {}{}", id, state, next,
                next == EngineState.LEADER ? " (term " + term.createRevision() + ")" : "");
        state = next;
    }

    /**
     * Stops the engine and revokes its lease, which removes the leader key if this engine held it,
     * so another candidate takes over at once. Do not call on the engine's executor.
     */
    @Override
    public void close() {
        try {
            executor.submit(() -> {
                if (ticker != null) {
                    ticker.cancel(false);
                }
                watcher.close();
                if (state != EngineState.CLOSED) {
                    term = null;
                    move(EngineState.CLOSED);
                }
                waiting.forEach(f -> f.complete(ReconcileReport.skipped(view == null ? 0 : view.revision())));
                waiting.clear();
            }).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.RejectedExecutionException e) {
            state = EngineState.CLOSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
    }
}
