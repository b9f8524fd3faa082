package io.keel.agent.local;

import io.keel.agent.journal.Journal;
import io.keel.agent.service.ServiceSpec;
import io.keel.agent.supervise.UnitStatus;
import io.keel.agent.supervise.UnitSupervisor;
import io.keel.cluster.node.MachinePresence;
import io.keel.cluster.registry.ClusterView;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.UnitStateRecord;
import io.keel.cluster.registry.ViewWatcher;
import io.keel.cluster.unit.JobState;
import io.keel.cluster.unit.Specifiers;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitName;
import io.keel.cluster.unit.UnitOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine agent: runs the units the cluster wants on this machine and reports their state.
 *
 * <p>It follows the cluster view ({@link ViewWatcher}) and keeps one {@link UnitSupervisor} per
 * wanted unit ({@link DesiredUnits}): a unit that appears is loaded (its container adopted if one
 * of this version still runs), then started or stopped as its desired state says; a unit that
 * leaves the machine, or changes version, is stopped and forgotten. Each change of a unit's
 * systemd state is written to {@code /keel/state/<unit>/<machine>} on the machine's presence
 * lease; when the lease is replaced every state is written again.
 *
 * <p>The store blinking changes nothing here: the view simply stops moving, units keep running,
 * and when the watch resumes the agent catches up from the new view. A Docker Engine that went
 * away fails the container units that tried to start; when it answers again the agent starts the
 * launched ones that failed once more (once per outage, so a unit that fails for another reason is
 * not retried in a loop). Containers of this machine that no unit owns are removed.
 *
 * <p>All state lives on the injected single-threaded executor (shared with the supervisors).
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    public static final Duration TICK = Duration.ofSeconds(1);

    private final Registry registry;
    private final MachinePresence presence;
    private final UnitRuntimes runtimes;
    private final Journal journal;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final ViewWatcher watcher;
    private final String machineId;
    private final Map<String, LocalUnit> units = new TreeMap<>();
    private final Map<String, CompletableFuture<Void>> stopping = new HashMap<>();
    private final Map<String, UnitStateRecord> reported = new HashMap<>();
    private final Map<String, LocalUnit> published = new ConcurrentHashMap<>();
    private long reportedLease;
    private boolean viewLoaded;
    private boolean dockerWasUp = true;
    private long dockerLossesHandled;
    private boolean closed;
    private boolean draining;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private ScheduledFuture<?> ticker;
    private final ScheduledExecutorService templateExecutor = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "keel-templates");
                t.setDaemon(true);
                return t;
            });
    private final io.keel.agent.template.Renderer renderer = new io.keel.agent.template.Renderer(
            new io.keel.agent.template.ProcessCommandRunner(), io.keel.agent.template.Renderer.CHECK_TIMEOUT_DEFAULT);
    /** How long a starting unit waits for its first rendering before it starts on the files it finds. */
    static final Duration FIRST_RENDER_TIMEOUT = Duration.ofSeconds(30);

    public Agent(Registry registry, MachinePresence presence, UnitRuntimes runtimes, Journal journal, Clock clock,
            ScheduledExecutorService executor) {
        this.registry = registry;
        this.presence = presence;
        this.runtimes = runtimes;
        this.journal = journal;
        this.clock = clock;
        this.executor = executor;
        this.machineId = presence.machine().id();
        this.watcher = new ViewWatcher(registry, executor, new ViewWatcher.Listener() {
            @Override
            public void loaded(ClusterView view) {
                viewLoaded = true;
                reconcile(view);
            }

            @Override
            public void changed(ClusterView view, Set<Keys.Ref> changed) {
                if (draining || changed.stream().anyMatch(Agent::concernsAgent)) {
                    reconcile(view);
                }
            }

            @Override
            public void failed(RuntimeException error) {
                LOG.info("agent {}: cannot load the cluster view ({}); units keep running", machineId,
                        error.getMessage());
            }
        });
    }

    private static boolean concernsAgent(Keys.Ref ref) {
        return ref instanceof Keys.UnitRef || ref instanceof Keys.ScheduleRef || ref instanceof Keys.MachineRef;
    }

    public void start() {
        watcher.start();
        ticker = executor.scheduleWithFixedDelay(this::tickSafely, TICK.toMillis(), TICK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The units this machine holds now, by name (a snapshot; safe from any thread). */
    public Map<String, LocalUnit> units() {
        return Map.copyOf(published);
    }

    public Optional<LocalUnit> unit(String name) {
        return Optional.ofNullable(published.get(name));
    }

    public Journal journal() {
        return journal;
    }

    public UnitRuntimes runtimes() {
        return runtimes;
    }

    private void reconcile(ClusterView view) {
        if (closed) {
            return;
        }
        Map<String, DesiredUnits.Wanted> wanted = DesiredUnits.of(view, machineId);
        for (String name : List.copyOf(units.keySet())) {
            DesiredUnits.Wanted w = wanted.get(name);
            if (w == null || !w.unit().hash().equals(units.get(name).hash())) {
                if (draining && !activeElsewhere(view, name)) {
                    continue;
                }
                retire(name);
            }
        }
        if (draining) {
            checkDrained();
            return;
        }
        wanted.forEach((name, w) -> {
            LocalUnit unit = units.get(name);
            if (unit == null) {
                if (stopping.containsKey(name)) {
                    return;
                }
                unit = load(w);
                units.put(name, unit);
                published.put(name, unit);
            }
            apply(unit, w.state());
        });
    }

    private boolean activeElsewhere(ClusterView view, String unit) {
        return view.states(unit).values().stream().anyMatch(s -> !s.value().machineID().equals(machineId)
                && "active".equals(s.value().systemdActiveState()));
    }

    private void checkDrained() {
        if (units.isEmpty() && stopping.isEmpty()) {
            drained.complete(null);
        }
    }

    /**
     * Hands this machine's units over before the machine goes away (a reboot under the lock): from
     * now on no unit is loaded here, and a unit the engine moved elsewhere keeps running here until
     * its new machine reports it active (make before break; units that run nowhere else, or a
     * machine the engine cannot move them to, keep running until {@code timeout}). Completes when
     * every unit here is stopped. Call before the machine leaves the cluster (its presence lease
     * revoked, so the engine moves its units): called after, a unit the engine moved at once could
     * be stopped here as an ordinary reschedule before draining began.
     */
    public CompletableFuture<Void> drain() {
        executor.execute(() -> {
            draining = true;
            LOG.info("agent {}: draining: units stop here once they run elsewhere", machineId);
            watcher.view().ifPresent(this::reconcile);
        });
        return drained;
    }

    private LocalUnit load(DesiredUnits.Wanted w) {
        String name = w.unit().name();
        try {
            UnitName unitName = UnitName.parse(name);
            UnitFile file = UnitFile.parse(w.unit().unitFile());
            UnitFile expanded = UnitFile.of(file.options().stream()
                    .map(o -> new UnitOption(o.section(), o.name(), Specifiers.expand(o.value(), unitName, Map.of('m', machineId))))
                    .toList());
            ServiceSpec spec = ServiceSpec.parse(expanded);
            io.keel.agent.template.UnitTemplates templates = io.keel.agent.template.UnitTemplates.parse(expanded);
            LocalUnit unit = new LocalUnit(name, w.unit().hash(), description(expanded), spec, null);
            io.keel.agent.runtime.MainLauncher main;
            if (spec.container().isPresent()) {
                Optional<Boolean> declared = expanded.value("Container", "ReadOnly")
                        .map(v -> ServiceSpec.bool("Container", "ReadOnly", v));
                unit.rootfs = new PolicyLauncher(name, w.unit().hash(), spec.container().get(), declared,
                        this::rootfsPolicies, runtimes);
                main = unit.rootfs;
            } else {
                main = runtimes.main(name, w.unit().hash(), spec);
            }
            unit.supervisor = new UnitSupervisor(name, spec, main, runtimes.processes(), journal.sink(name), clock,
                    executor, status -> executor.execute(() -> statusChanged(unit, status)));
            unit.configuration = new StoreConfiguration(name, templates, registry, renderer, clock, templateExecutor,
                    journal.sink(name), destinations -> executor.execute(() -> configurationChanged(unit, destinations)));
            unit.supervisor.setBaseEnvironment(unit.configuration::environment);
            LOG.info("agent {}: loaded {}", machineId, name);
            return unit;
        } catch (RuntimeException e) {
            String reason = "invalid unit: " + e.getMessage();
            LOG.warn("agent {}: {}: {}", machineId, name, reason);
            journal.sink(name).agent(name + ": " + reason);
            return new LocalUnit(name, w.unit().hash(), "", null, reason);
        }
    }

    /** The store's root filesystem policies, as the cluster view has them now (read on the executor). */
    private Map<String, String> rootfsPolicies() {
        return watcher.view().map(ClusterView::policies).orElse(Map.of());
    }

    private static String description(UnitFile file) {
        return file.value("Unit", "Description").orElse("");
    }

    private void apply(LocalUnit unit, JobState state) {
        if (unit.applied == state) {
            return;
        }
        unit.applied = state;
        if (unit.supervisor == null) {
            report(unit);
            return;
        }
        if (state == JobState.LAUNCHED && !unit.configuration.ready().isDone()) {
            unit.configuration.ready().completeOnTimeout(null, FIRST_RENDER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenCompleteAsync((ok, error) -> {
                        if (units.get(unit.name()) == unit && unit.applied == JobState.LAUNCHED) {
                            unit.applied = null;
                            apply(unit, JobState.LAUNCHED);
                        }
                    }, executor);
            return;
        }
        if (state == JobState.LAUNCHED) {
            if (unit.spec.container().isPresent() && !unit.adoptTried) {
                unit.adoptTried = true;
                unit.supervisor.adopt().whenCompleteAsync((adopted, error) -> {
                    if (unit.applied == JobState.LAUNCHED && units.get(unit.name()) == unit
                            && !Boolean.TRUE.equals(adopted)) {
                        unit.supervisor.start();
                    }
                }, executor);
            } else {
                unit.supervisor.start();
            }
        } else {
            unit.supervisor.stop();
        }
        report(unit);
    }

    /** Templates of a running unit changed: its ReloadCmd runs, or it is restarted, once. */
    private void configurationChanged(LocalUnit unit, List<String> destinations) {
        if (units.get(unit.name()) != unit || unit.applied != JobState.LAUNCHED || unit.status == null
                || !"active".equals(unit.status.activeState())) {
            return;
        }
        var sink = journal.sink(unit.name());
        var reload = unit.configuration.templates().reloadCommand();
        if (reload.isPresent()) {
            sink.agent(unit.name() + ": configuration changed (" + String.join(", ", destinations) + "); reloading");
            try {
                runtimes.processes().launch(new io.keel.agent.runtime.ProcessSpec(unit.name(), reload.get(),
                        unit.supervisor.commandEnvironment(), null, sink));
            } catch (io.keel.agent.runtime.LaunchException e) {
                sink.agent(unit.name() + ": ReloadCmd failed to start: " + e.getMessage());
            }
        } else {
            sink.agent(unit.name() + ": configuration changed (" + String.join(", ", destinations) + "); restarting");
            unit.supervisor.restart();
        }
    }

    private void retire(String name) {
        LocalUnit unit = units.remove(name);
        LOG.info("agent {}: unloading {}", machineId, name);
        if (unit.configuration != null) {
            unit.configuration.close();
        }
        if (unit.supervisor == null) {
            forget(unit);
            return;
        }
        CompletableFuture<Void> done = unit.supervisor.close();
        stopping.put(name, done);
        done.whenCompleteAsync((ok, error) -> {
            stopping.remove(name);
            forget(unit);
            watcher.view().ifPresent(this::reconcile);
            if (draining) {
                checkDrained();
            }
        }, executor);
    }

    private void forget(LocalUnit unit) {
        published.remove(unit.name(), unit);
        reported.remove(unit.name());
        if (!closed) {
            registry.clearState(unit.name(), machineId).exceptionally(e -> null);
        }
    }

    private void statusChanged(LocalUnit unit, UnitStatus status) {
        unit.status = status;
        if (units.get(unit.name()) == unit) {
            report(unit);
        }
    }

    private void report(LocalUnit unit) {
        long lease = presence.lease();
        if (lease == 0 || closed || unit.applied == null) {
            return;
        }
        UnitStateRecord record = unit.stateRecord(machineId);
        if (record.equals(reported.get(unit.name())) && lease == reportedLease) {
            return;
        }
        reported.put(unit.name(), record);
        registry.reportState(record, lease).whenCompleteAsync((revision, error) -> {
            if (error != null && record.equals(reported.get(unit.name()))) {
                reported.remove(unit.name());
            }
        }, executor);
    }

    /** A periodic task that throws is never run again: the tick must not. */
    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("agent {}: periodic check failed: {}", machineId, e.toString());
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        long lease = presence.lease();
        if (lease != reportedLease) {
            reportedLease = lease;
            reported.clear();
        }
        units.values().forEach(this::report);
        if (runtimes.dockerUsed()) {
            long losses = runtimes.dockerLosses();
            boolean up = runtimes.dockerAnswers();
            if (up != dockerWasUp) {
                LOG.info("agent {}: the Docker Engine {}", machineId, up ? "answers again" : "does not answer");
            }
            if (up && losses != dockerLossesHandled) {
                dockerLossesHandled = losses;
                units.values().stream()
                        .filter(u -> u.supervisor != null && u.spec.container().isPresent()
                                && u.applied == JobState.LAUNCHED && u.status != null
                                && "failed".equals(u.status.activeState()))
                        .forEach(u -> u.supervisor.start());
            }
            dockerWasUp = up;
        }
        if (viewLoaded && dockerWasUp) {
            Map<String, String> keep = new HashMap<>();
            units.values().forEach(u -> keep.put(u.name(), u.hash()));
            stopping.keySet().forEach(name -> keep.putIfAbsent(name, "*"));
            runtimes.removeStrayContainers(keep);
        }
    }

    /**
     * Stops every unit (containers are stopped and removed, as systemd stops services at shutdown)
     * and the watch. Waits up to {@code timeout}. Call from outside the executor.
     */
    public void close(Duration timeout) {
        CompletableFuture<List<CompletableFuture<Void>>> stops = CompletableFuture.supplyAsync(() -> {
            closed = true;
            if (ticker != null) {
                ticker.cancel(false);
            }
            watcher.close();
            List<CompletableFuture<Void>> all = new ArrayList<>(stopping.values());
            units.values().stream().filter(u -> u.supervisor != null).forEach(u -> all.add(u.supervisor.close()));
            return all;
        }, executor);
        try {
            List<CompletableFuture<Void>> all = stops.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("agent {}: units did not all stop within {}: {}", machineId, timeout, e.toString());
        }
        runtimes.close();
        templateExecutor.shutdownNow();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
