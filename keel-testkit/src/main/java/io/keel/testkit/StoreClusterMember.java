package io.keel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One member of a {@link StoreCluster}: a store process (etcd or Keel) with fixed ports and data
 * dir, so it can be killed, stopped, paused and started again as the same member.
 *
 * <p>{@link #start()} returns once the member answers {@code etcdctl endpoint status} (a local
 * request), not once the cluster is healthy: use {@link StoreCluster#awaitHealthy} for that.
 * {@link #pid()}, {@link #isAlive()} and {@link #isPaused()} never block, so they may be called
 * while another thread starts or stops the member.
 */
public final class StoreClusterMember implements StoreProcess {

    private final String name;
    private final MemberProcess process;
    private final String listenClientUrl;
    private final int listenPeerPort;
    private final String advertisedPeerUrl;
    private volatile long pid = -1;
    private volatile boolean paused;

    StoreClusterMember(String name, String kind, List<String> command, Path dataDir, Path logFile, String endpoint,
            String listenClientUrl, int listenPeerPort, String advertisedPeerUrl, Duration startTimeout) {
        this.name = name;
        this.process = new MemberProcess(kind + " " + name, command, dataDir, logFile, endpoint, startTimeout);
        this.listenClientUrl = listenClientUrl;
        this.listenPeerPort = listenPeerPort;
        this.advertisedPeerUrl = advertisedPeerUrl;
    }

    /** The member's name ({@code --name}). */
    public String name() {
        return name;
    }

    /** The advertised client URL ({@code --advertise-client-urls}): the member's client proxy. */
    @Override
    public String endpoint() {
        return process.endpoint();
    }

    /** The URL the member itself listens on for clients ({@code --listen-client-urls}), bypassing the proxy. */
    public String listenClientUrl() {
        return listenClientUrl;
    }

    /** The peer URL other members use: the member's proxy in the cluster's {@link StoreClusterNetwork}. */
    public String advertisedPeerUrl() {
        return advertisedPeerUrl;
    }

    /** The port the member itself listens on for peers ({@code --listen-peer-urls}). */
    public int listenPeerPort() {
        return listenPeerPort;
    }

    @Override
    public Path dataDir() {
        return process.dataDir();
    }

    @Override
    public Path logFile() {
        return process.logFile();
    }

    /** The OS process id of the current (or last) incarnation, -1 before the first start. */
    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean isAlive() {
        long current = pid;
        return current > 0 && ProcessHandle.of(current).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The exit status of the current (or last) incarnation; empty while it runs. */
    public OptionalInt exitValue() {
        return process.exitValue();
    }

    /** Whether the member was paused with {@link #pause()} and not resumed since. */
    public boolean isPaused() {
        return paused && isAlive();
    }

    /** Starts the member and waits until it answers {@code endpoint status}. */
    @Override
    public void start() {
        launch();
        awaitServing();
    }

    /**
     * Starts the member as etcd's runtime-reconfiguration guide starts one added with {@code member
     * add}: with {@code --initial-cluster-state existing} and the {@code --initial-cluster} that
     * {@code member add} printed. Later starts keep these flags.
     */
    public void startJoining(String initialCluster) {
        process.replaceFlag("--initial-cluster", initialCluster);
        process.replaceFlag("--initial-cluster-state", "existing");
        start();
    }

    /** Starts the member's process and returns at once. */
    public void launch() {
        process.launchDetached();
        pid = process.pid();
        paused = false;
    }

    /** Waits until the member answers {@code endpoint status}; kills it and throws if it does not in time. */
    public void awaitServing() {
        process.awaitHealthy();
    }

    @Override
    public void kill9() {
        process.kill9();
        paused = false;
    }

    /** Sends SIGTERM (after SIGCONT if paused) and waits for the process to exit. */
    @Override
    public void stop() {
        if (isPaused()) {
            resume();
        }
        process.stop();
    }

    /** Deletes the member's data dir, as a lost disk would; the member must not be running. */
    public void wipe() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is running; stop it before wiping its data dir");
        }
        Trees.delete(dataDir());
    }

    /** Freezes the process with SIGSTOP: it keeps its sockets but answers nothing. */
    public void pause() {
        signal("STOP");
        paused = true;
    }

    /** Continues a paused process with SIGCONT. */
    public void resume() {
        signal("CONT");
        paused = false;
    }

    @Override
    public void close() {
        process.close();
        paused = false;
    }

    @Override
    public String toString() {
        return name + "[" + endpoint() + " -> " + listenClientUrl + ", peer " + advertisedPeerUrl + " -> :"
                + listenPeerPort + "]";
    }

    private void signal(String signal) {
        if (!isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot send SIG" + signal + " to " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling " + name, e);
        }
    }

    /** A member counts as started once it answers a local status request. */
    private static final class MemberProcess extends ServerProcess {
        MemberProcess(String name, List<String> command, Path dataDir, Path logFile, String endpoint,
                Duration startTimeout) {
            super(name, command, dataDir, logFile, endpoint, startTimeout);
        }

        @Override
        List<String> readinessCheck() {
            return List.of("endpoint", "status");
        }
    }
}
