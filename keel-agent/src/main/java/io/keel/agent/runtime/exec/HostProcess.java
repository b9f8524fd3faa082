package io.keel.agent.runtime.exec;

import io.keel.agent.runtime.Exit;
import io.keel.agent.runtime.RunningProcess;
import io.keel.agent.runtime.Signal;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A host process started by {@link ExecLauncher}, leader of its own process group (when started
 * through {@code setsid}). Signals go to the whole group.
 *
 * <p>Exit mapping: Java reports death by signal N as exit value 128+N. A value 128+N is reported as
 * {@link Exit#ofSignal} only if this object has sent signal N to the process; otherwise it is
 * reported as the code it is (a shell's {@code exit 143} stays a code, and so does a death by a
 * signal someone else sent).
 */
final class HostProcess implements RunningProcess {

    private static final long OUTPUT_DRAIN_MILLIS = 1000;

    private final Process process;
    private final boolean ownGroup;
    private final String killCommand;
    private final Set<Integer> sent = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Exit> exit = new CompletableFuture<>();

    HostProcess(Process process, boolean ownGroup, String killCommand, Thread out, Thread err) {
        this.process = process;
        this.ownGroup = ownGroup;
        this.killCommand = killCommand;
        Thread waiter = new Thread(() -> {
            int value;
            while (true) {
                try {
                    value = process.waitFor();
                    out.join(OUTPUT_DRAIN_MILLIS);
                    err.join(OUTPUT_DRAIN_MILLIS);
                    break;
                } catch (InterruptedException e) {
                    // daemon waiter: keep waiting
                }
            }
            exit.complete(toExit(value));
        }, "exit-" + process.pid());
        waiter.setDaemon(true);
        waiter.start();
    }

    private Exit toExit(int value) {
        if (value > 128 && sent.contains(value - 128)) {
            return Exit.ofSignal(value - 128);
        }
        return Exit.ofCode(value);
    }

    @Override
    public String id() {
        return Long.toString(process.pid());
    }

    long pid() {
        return process.pid();
    }

    @Override
    public CompletableFuture<Exit> exit() {
        return exit;
    }

    @Override
    public void signal(Signal signal) {
        if (!process.isAlive()) {
            return;
        }
        sent.add(signal.number());
        signalGroup(signal);
    }

    private void signalGroup(Signal signal) {
        if (killCommand != null) {
            String target = ownGroup ? "-" + process.pid() : Long.toString(process.pid());
            try {
                Process kill = new ProcessBuilder(killCommand, "-" + signal.name(), "--", target)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (kill.waitFor(5, TimeUnit.SECONDS) && (kill.exitValue() == 0 || !ownGroup)) {
                    return;
                }
            } catch (IOException e) {
                // fall back below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        fallback(signal);
    }

    /**
     * Without kill(1): only TERM and KILL, through ProcessHandle, to the process and its
     * descendants. Through the handle, not {@link Process#destroy()}: that also closes the pipes,
     * and what the unit prints while it stops would be lost.
     */
    private void fallback(Signal signal) {
        boolean force = signal == Signal.KILL;
        if (!force && signal != Signal.TERM) {
            return;
        }
        process.descendants().forEach(h -> {
            if (force) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        });
        if (force) {
            process.toHandle().destroyForcibly();
        } else {
            process.toHandle().destroy();
        }
    }

    /**
     * Kills what is left of the process group after the leader has exited (orphans that kept
     * running), as systemd's control-group kill mode does. Idempotent.
     */
    @Override
    public void cleanup() {
        if (!exit.isDone() || !ownGroup || killCommand == null) {
            return;
        }
        try {
            Process kill = new ProcessBuilder(killCommand, "-KILL", "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // nothing left to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
