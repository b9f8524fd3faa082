package io.keel.agent.supervise;

import io.keel.agent.runtime.Exit;
import io.keel.agent.runtime.LaunchException;
import io.keel.agent.runtime.MainLauncher;
import io.keel.agent.runtime.OutputSink;
import io.keel.agent.runtime.ProcessLauncher;
import io.keel.agent.runtime.ProcessSpec;
import io.keel.agent.runtime.RunningProcess;
import io.keel.agent.runtime.Signal;
import io.keel.agent.service.ExecCommand;
import io.keel.agent.service.ServiceSpec;
import io.keel.agent.service.ServiceType;
import io.keel.agent.service.TimeSpans;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * systemd's service life cycle for one unit: ExecStartPre, the main process (or the oneshot
 * ExecStart commands), ExecStartPost, running, ExecReload, ExecStop, SIGTERM, SIGKILL after
 * TimeoutStopSec, ExecStopPost, Restart= with RestartSec and the start rate limit.
 *
 * <p>All state lives on the injected single-threaded executor; public methods only hop onto it, so
 * they may be called from any thread. Times come from the injected clock; timeouts are scheduled
 * on the executor.
 *
 * <p>Departures from systemd, on purpose:
 * <ul>
 *   <li>A manual {@link #start()} or {@link #restart()} clears the start rate limiter (as
 *       {@code systemctl reset-failed} followed by start would); automatic restarts are counted, so
 *       a crash loop still ends in {@code failed} with result {@code start-limit-hit}.
 *   <li>At most one control process (ExecStartPre and friends) runs at a time, as in systemd;
 *       {@code KillMode} is always control-group (the launcher signals the process group).
 *   <li>A reload of a unit without {@code ExecReload=} is logged and ignored.
 * </ul>
 * As in systemd, a stop that needs SIGKILL after {@code TimeoutStopSec} ends {@code failed} with
 * result {@code timeout}, and a main process that exits with a failure while being stopped fails
 * the unit; a stop that ends cleanly ends {@code inactive}.
 */
public final class UnitSupervisor {

    private static final String SUCCESS = "success";

    private final String unit;
    private final ServiceSpec spec;
    private final MainLauncher main;
    private final ProcessLauncher aux;
    private final OutputSink journal;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Consumer<UnitStatus> listener;

    private String activeState = "inactive";
    private String subState = "dead";
    private String result = SUCCESS;
    private String message = "";
    private Instant since;
    private Optional<Exit> lastExit = Optional.empty();
    private int restarts;
    private RunningProcess mainProcess;
    private boolean mainExited;
    private RunningProcess control;
    private long phase;
    private ScheduledFuture<?> timer;
    private final StartLimiter startLimiter;
    private final UnitEnvironment environment;
    private Map<String, String> unitEnvironment = Map.of();
    private boolean stopRequested;
    private boolean startAfterStop;
    private boolean closing;
    private final List<CompletableFuture<Void>> closeWaiters = new ArrayList<>();
    private volatile UnitStatus status;

    public UnitSupervisor(String unitName, ServiceSpec spec, MainLauncher main, ProcessLauncher aux,
            OutputSink journal, Clock clock, ScheduledExecutorService executor, Consumer<UnitStatus> listener) {
        this.unit = unitName;
        this.spec = spec;
        this.main = main;
        this.aux = aux;
        this.journal = journal;
        this.clock = clock;
        this.executor = executor;
        this.listener = listener;
        this.since = clock.instant();
        this.startLimiter = new StartLimiter(spec.startLimitInterval(), spec.startLimitBurst());
        this.environment = new UnitEnvironment(spec);
        this.status = snapshot();
    }

    /** Starts the unit if it is inactive, failed or waiting to restart; otherwise does nothing. */
    public void start() {
        run(() -> requestStart(true));
    }

    /** Stops the unit (ExecStop, SIGTERM, SIGKILL, ExecStopPost); no automatic restart follows. */
    public void stop() {
        run(this::requestStop);
    }

    /** Stops the unit if it is running, then starts it. */
    public void restart() {
        run(() -> {
            if (closing) {
                return;
            }
            switch (activeState) {
                case "inactive", "failed" -> requestStart(true);
                case "activating" -> {
                    if (subState.equals("auto-restart")) {
                        requestStart(true);
                    } else {
                        requestStop();
                        startAfterStop = true;
                    }
                }
                case "deactivating" -> startAfterStop = true;
                default -> {
                    requestStop();
                    startAfterStop = true;
                }
            }
        });
    }

    /** Runs ExecReload= (with $MAINPID) if the unit is active; the unit stays active either way. */
    public void reload() {
        run(this::requestReload);
    }

    /**
     * The environment of the unit's other commands, as {@code ExecReload=} gets it: {@code PATH}, the
     * unit's environment as of its last start, and {@code $MAINPID} while its main process runs (for a
     * container unit, the container's id). Call on the supervisor's executor.
     */
    public Map<String, String> commandEnvironment() {
        return Map.copyOf(auxEnvironment(true));
    }

    /**
     * Takes over a main process left by an earlier agent ({@link MainLauncher#adopt}) if the unit
     * is inactive or failed: the unit becomes active/running without ExecStartPre/Post.
     * Completes with whether a process was adopted.
     */
    public CompletableFuture<Boolean> adopt() {
        CompletableFuture<Boolean> adopted = new CompletableFuture<>();
        run(() -> adopted.complete(doAdopt()));
        return adopted;
    }

    /** The current state; callable from any thread. */
    public UnitStatus status() {
        return status;
    }

    /** Stops the unit for good (later starts are ignored); completes once it is inactive or failed. */
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        run(() -> {
            closing = true;
            closeWaiters.add(closed);
            requestStop();
            completeCloseWaiters();
        });
        return closed;
    }

    private void run(Runnable action) {
        executor.execute(guarded(action));
    }

    private Runnable guarded(Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                journal.agent(unit + ": Internal error: " + e);
            }
        };
    }

    // ---- requests

    private void requestStart(boolean manual) {
        if (closing) {
            return;
        }
        switch (activeState) {
            case "inactive", "failed" -> enterStart(manual);
            case "activating" -> {
                if (subState.equals("auto-restart")) {
                    enterStart(manual);
                }
            }
            case "deactivating" -> startAfterStop = true;
            default -> {
            }
        }
    }

    private void requestStop() {
        startAfterStop = false;
        switch (subState) {
            case "auto-restart" -> {
                stopRequested = true;
                phase++;
                cancelTimer();
                journal.agent("Stopped " + unit + ".");
                settle();
            }
            case "start-pre", "start", "start-post", "reload" -> {
                stopRequested = true;
                journal.agent("Stopping " + unit + "...");
                enterSignal("stop-sigterm", SUCCESS);
            }
            case "running", "exited" -> {
                stopRequested = true;
                journal.agent("Stopping " + unit + "...");
                enterStop(SUCCESS);
            }
            case "stop", "stop-sigterm", "stop-sigkill", "stop-post" -> stopRequested = true;
            default -> completeCloseWaiters();
        }
    }

    private void requestReload() {
        if (!activeState.equals("active")) {
            return;
        }
        if (spec.execReload().isEmpty()) {
            journal.agent(unit + ": Reload requested but the unit has no ExecReload=; ignored.");
            return;
        }
        phase++;
        journal.agent("Reloading " + unit + "...");
        setState("reloading", "reload");
        armTimer(spec.timeoutStart(), () -> {
            journal.agent(unit + ": Reload operation timed out. Killing reload process.");
            killControl();
            enterRunning();
        });
        runCommands(spec.execReload(), 0, "ExecReload", auxEnvironment(true), () -> {
            journal.agent("Reloaded " + unit + ".");
            enterRunning();
        }, failure -> {
            journal.agent(unit + ": Reload failed: " + failure.message());
            enterRunning();
        });
    }

    private boolean doAdopt() {
        if (closing || !(activeState.equals("inactive") || activeState.equals("failed"))) {
            return false;
        }
        Optional<RunningProcess> found;
        try {
            found = main.adopt(journal);
        } catch (RuntimeException e) {
            journal.agent(unit + ": Could not look for a running main process: " + e.getMessage());
            return false;
        }
        if (found.isEmpty()) {
            return false;
        }
        phase++;
        result = SUCCESS;
        message = "";
        stopRequested = false;
        watchMain(found.get());
        journal.agent(unit + ": Adopted running main process " + found.get().id() + ".");
        setState("active", "running");
        return true;
    }

    // ---- start

    private void enterStart(boolean manual) {
        phase++;
        cancelTimer();
        stopRequested = false;
        if (manual) {
            startLimiter.reset();
        }
        if (!startLimiter.tryStart(clock.instant())) {
            result = "start-limit-hit";
            message = "start request repeated too quickly";
            journal.agent(unit + ": Start request repeated too quickly.");
            journal.agent(unit + ": Failed with result 'start-limit-hit'.");
            journal.agent("Failed to start " + unit + ".");
            setState("failed", "failed");
            completeCloseWaiters();
            return;
        }
        result = SUCCESS;
        message = "";
        mainProcess = null;
        mainExited = false;
        journal.agent("Starting " + unit + "...");
        try {
            unitEnvironment = environment.resolve();
        } catch (IOException e) {
            fail("resources", e.getMessage());
            journal.agent(unit + ": Failed to load environment files: " + e.getMessage());
            enterDead();
            return;
        }
        if (spec.execStartPre().isEmpty()) {
            enterStartMain();
            return;
        }
        setState("activating", "start-pre");
        armTimer(spec.timeoutStart(), () -> startTimedOut("start-pre"));
        runCommands(spec.execStartPre(), 0, "ExecStartPre", auxEnvironment(false), this::enterStartMain,
                failure -> {
                    fail(failure.result(), failure.message());
                    enterSignal("stop-sigterm", failure.result());
                });
    }

    private void enterStartMain() {
        phase++;
        cancelTimer();
        setState("activating", "start");
        boolean oneshot = spec.type() == ServiceType.ONESHOT;
        if (oneshot && spec.container().isEmpty()) {
            armTimer(spec.timeoutStart(), () -> startTimedOut("start"));
            runCommands(spec.execStart(), 0, "ExecStart", auxEnvironment(false), this::enterStartPost, failure -> {
                fail(failure.result(), failure.message());
                enterSignal("stop-sigterm", failure.result());
            });
            return;
        }
        RunningProcess p;
        try {
            p = main.start(unitEnvironment, journal);
        } catch (LaunchException e) {
            String what = spec.container().isPresent() ? "Container" : "ExecStart";
            journal.agent(unit + ": Failed to start the main process: " + e.getMessage());
            fail("resources", what + ": " + e.getMessage());
            enterSignal("stop-sigterm", "resources");
            return;
        }
        watchMain(p);
        if (oneshot) {
            armTimer(spec.timeoutStart(), () -> startTimedOut("start"));
            setState("activating", "start");
        } else {
            enterStartPost();
        }
    }

    private void enterStartPost() {
        phase++;
        cancelTimer();
        if (spec.execStartPost().isEmpty()) {
            enterRunning();
            return;
        }
        setState("activating", "start-post");
        armTimer(spec.timeoutStart(), () -> {
            journal.agent(unit + ": start-post operation timed out. Stopping.");
            fail("timeout", "ExecStartPost took longer than " + TimeSpans.format(spec.timeoutStart()));
            killControl();
            enterStop("timeout");
        });
        runCommands(spec.execStartPost(), 0, "ExecStartPost", auxEnvironment(true), this::enterRunning, failure -> {
            fail(failure.result(), failure.message());
            enterStop(failure.result());
        });
    }

    private void startTimedOut(String state) {
        journal.agent(unit + ": " + state + " operation timed out. Terminating.");
        fail("timeout", state + " took longer than TimeoutStartSec=" + TimeSpans.format(spec.timeoutStart()));
        enterSignal("stop-sigterm", "timeout");
    }

    private void enterRunning() {
        phase++;
        cancelTimer();
        if (!result.equals(SUCCESS)) {
            enterSignal("stop-sigterm", result);
        } else if (mainProcess != null && !mainExited) {
            boolean wasActive = activeState.equals("reloading");
            setState("active", "running");
            if (!wasActive) {
                journal.agent("Started " + unit + ".");
            }
        } else if (spec.remainAfterExit()) {
            if (!activeState.equals("reloading")) {
                journal.agent("Started " + unit + ".");
            }
            setState("active", "exited");
        } else {
            if (spec.type() == ServiceType.ONESHOT) {
                journal.agent("Finished " + unit + ".");
            }
            enterStop(SUCCESS);
        }
    }

    // ---- main process

    private void watchMain(RunningProcess p) {
        mainProcess = p;
        mainExited = false;
        p.exit().whenComplete((exit, error) -> run(() -> {
            if (exit == null && p == mainProcess && !mainExited) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                journal.agent(unit + ": " + cause.getMessage());
                fail("resources", String.valueOf(cause.getMessage()));
            }
            onMainExit(p, exit != null ? exit : Exit.ofCode(255));
        }));
    }

    private void onMainExit(RunningProcess p, Exit exit) {
        if (p != mainProcess || mainExited) {
            return;
        }
        mainExited = true;
        lastExit = Optional.of(exit);
        p.cleanup();
        boolean ignore = spec.container().isEmpty() && spec.execStart().size() == 1
                && spec.execStart().get(0).ignoreFailure();
        boolean clean = exit.clean() || ignore;
        journal.agent(unit + ": Main process exited, " + exit.describe());
        String failure = clean ? SUCCESS : exit.killedBySignal() ? "signal" : "exit-code";
        if (!clean) {
            fail(failure, "Main process exited, " + exit.describe());
        }
        switch (subState) {
            case "start" -> {
                if (clean) {
                    enterStartPost();
                } else {
                    enterSignal("stop-sigterm", failure);
                }
            }
            case "running" -> enterRunning();
            case "stop-sigterm", "stop-sigkill" -> {
                if (control == null) {
                    enterStopPost(SUCCESS);
                }
            }
            default -> publish();
        }
    }

    // ---- stop

    private void enterStop(String why) {
        phase++;
        cancelTimer();
        setResult(why);
        if (spec.execStop().isEmpty()) {
            enterSignal("stop-sigterm", SUCCESS);
            return;
        }
        setState("deactivating", "stop");
        armTimer(spec.timeoutStop(), () -> {
            journal.agent(unit + ": Stopping timed out. Terminating.");
            fail("timeout", "ExecStop took longer than TimeoutStopSec=" + TimeSpans.format(spec.timeoutStop()));
            enterSignal("stop-sigterm", "timeout");
        });
        runCommands(spec.execStop(), 0, "ExecStop", auxEnvironment(true), () -> enterSignal("stop-sigterm", SUCCESS),
                failure -> {
                    fail(failure.result(), failure.message());
                    enterSignal("stop-sigterm", failure.result());
                });
    }

    private void enterSignal(String state, String why) {
        phase++;
        cancelTimer();
        setResult(why);
        Signal signal = state.equals("stop-sigterm") ? Signal.TERM : Signal.KILL;
        boolean waiting = false;
        if (mainProcess != null && !mainExited) {
            if (signal == Signal.KILL) {
                journal.agent(unit + ": Killing process " + mainProcess.id() + " with signal SIGKILL.");
            }
            mainProcess.signal(signal);
            waiting = true;
        }
        if (control != null) {
            control.signal(signal);
            waiting = true;
        }
        if (!waiting) {
            enterStopPost(SUCCESS);
            return;
        }
        setState("deactivating", state);
        armTimer(spec.timeoutStop(), () -> {
            if (signal == Signal.TERM) {
                journal.agent(unit + ": State 'stop-sigterm' timed out. Killing.");
                fail("timeout", "did not stop within TimeoutStopSec=" + TimeSpans.format(spec.timeoutStop())
                        + "; killed");
                enterSignal("stop-sigkill", "timeout");
            } else {
                journal.agent(unit + ": Processes still around after SIGKILL. Ignoring.");
                enterStopPost("timeout");
            }
        });
    }

    private void enterStopPost(String why) {
        phase++;
        cancelTimer();
        setResult(why);
        if (spec.execStopPost().isEmpty()) {
            enterDead();
            return;
        }
        setState("deactivating", "stop-post");
        armTimer(spec.timeoutStop(), () -> {
            journal.agent(unit + ": State 'stop-post' timed out. Killing.");
            fail("timeout", "ExecStopPost took longer than TimeoutStopSec=" + TimeSpans.format(spec.timeoutStop()));
            killControl();
            enterDead();
        });
        runCommands(spec.execStopPost(), 0, "ExecStopPost", auxEnvironment(false), this::enterDead, failure -> {
            fail(failure.result(), failure.message());
            enterDead();
        });
    }

    private void enterDead() {
        phase++;
        cancelTimer();
        if (mainProcess != null) {
            mainProcess.cleanup();
            mainProcess = null;
        }
        boolean failed = !result.equals(SUCCESS);
        if (failed) {
            journal.agent(unit + ": Failed with result '" + result + "'.");
        }
        if (!stopRequested && !closing && spec.restart().restartsAfter(result)) {
            setState("activating", "auto-restart");
            armTimer(spec.restartSec(), () -> {
                restarts++;
                journal.agent(unit + ": Scheduled restart job, restart counter is at " + restarts + ".");
                enterStart(false);
            });
            return;
        }
        if (stopRequested) {
            journal.agent("Stopped " + unit + ".");
        } else if (!failed) {
            journal.agent(unit + ": Deactivated successfully.");
        }
        settle();
        if (startAfterStop && !closing) {
            startAfterStop = false;
            enterStart(true);
        }
    }

    /** Inactive or failed, by the result. */
    private void settle() {
        if (result.equals(SUCCESS)) {
            setState("inactive", "dead");
        } else {
            setState("failed", "failed");
        }
        completeCloseWaiters();
    }

    // ---- control processes

    private record Failure(String result, String message) {
    }

    private void runCommands(List<ExecCommand> commands, int index, String directive, Map<String, String> env,
            Runnable done, Consumer<Failure> failed) {
        if (index == commands.size()) {
            done.run();
            return;
        }
        long token = phase;
        ExecCommand command = commands.get(index);
        RunningProcess p;
        try {
            p = aux.launch(new ProcessSpec(unit, command.argv(env), env, spec.workingDirectory().orElse(null),
                    journal));
        } catch (LaunchException e) {
            journal.agent(unit + ": Failed to execute " + directive + ": " + e.getMessage());
            if (command.ignoreFailure()) {
                runCommands(commands, index + 1, directive, env, done, failed);
            } else {
                failed.accept(new Failure("resources", directive + ": " + e.getMessage()));
            }
            return;
        }
        control = p;
        p.exit().whenComplete((exit, error) -> run(() -> {
            Exit e = exit != null ? exit : Exit.ofCode(255);
            if (control == p) {
                control = null;
            }
            p.cleanup();
            if (token != phase) {
                abandonedControlExited();
                return;
            }
            if (directive.equals("ExecStart")) {
                lastExit = Optional.of(e);
            }
            boolean ok = !e.killedBySignal() && e.code() == 0;
            if (!ok) {
                journal.agent(unit + ": " + directive + " process exited, " + e.describe()
                        + (command.ignoreFailure() ? " (ignored)" : ""));
            }
            if (ok || command.ignoreFailure()) {
                runCommands(commands, index + 1, directive, env, done, failed);
            } else {
                failed.accept(new Failure(e.killedBySignal() ? "signal" : "exit-code",
                        directive + ": " + command.program() + " exited, " + e.describe()));
            }
        }));
    }

    private void abandonedControlExited() {
        if ((subState.equals("stop-sigterm") || subState.equals("stop-sigkill")) && control == null
                && (mainProcess == null || mainExited)) {
            enterStopPost(SUCCESS);
        }
    }

    private void killControl() {
        if (control != null) {
            control.signal(Signal.KILL);
            control = null;
        }
    }

    // ---- environment

    /**
     * Variables read again at every start, below {@code Environment=} and {@code EnvironmentFile=}
     * (which override them): the unit's environment from the store ({@code EnvironmentKeys=}).
     * Called on the executor; must not block for long.
     */
    public void setBaseEnvironment(java.util.function.Supplier<Map<String, String>> source) {
        environment.setBase(source);
    }

    private Map<String, String> auxEnvironment(boolean withMainPid) {
        return UnitEnvironment.forControl(unitEnvironment, withMainPid && mainProcess != null && !mainExited
                ? Optional.of(mainProcess.id()) : Optional.empty());
    }

    // ---- state

    private void fail(String why, String text) {
        if (result.equals(SUCCESS)) {
            result = why;
            message = text;
        }
    }

    private void setResult(String why) {
        if (result.equals(SUCCESS)) {
            result = why;
        }
    }

    private void setState(String active, String sub) {
        if (!active.equals(activeState)) {
            since = clock.instant();
        }
        activeState = active;
        subState = sub;
        publish();
    }

    private void publish() {
        UnitStatus s = snapshot();
        status = s;
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            journal.agent(unit + ": status listener failed: " + e);
        }
    }

    private UnitStatus snapshot() {
        Optional<String> id = mainProcess != null && !mainExited ? Optional.of(mainProcess.id()) : Optional.empty();
        return new UnitStatus(unit, "loaded", activeState, subState, result, id, since, lastExit, message, restarts);
    }

    private void completeCloseWaiters() {
        if (activeState.equals("inactive") || activeState.equals("failed")) {
            closeWaiters.forEach(w -> w.complete(null));
            closeWaiters.clear();
        }
    }

    private void armTimer(Duration delay, Runnable onTimeout) {
        cancelTimer();
        if (delay.isZero()) {
            return;
        }
        long token = phase;
        timer = executor.schedule(guarded(() -> {
            if (token == phase) {
                onTimeout.run();
            }
        }), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

}
