package io.keel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The process handling shared by the store fixtures: launch with output appended to a log
 * file, wait until {@code etcdctl endpoint health} succeeds, signal, and reap.
 */
abstract class ServerProcess implements StoreProcess {

    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 60;

    private final String name;
    private volatile List<String> command;
    private final Path dataDir;
    private final Path logFile;
    private final String endpoint;
    private final Duration startTimeout;
    private Process process;
    private Thread reaper;

    ServerProcess(String name, List<String> command, Path dataDir, Path logFile, String endpoint,
            Duration startTimeout) {
        this.name = name;
        this.command = List.copyOf(command);
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.endpoint = endpoint;
        this.startTimeout = startTimeout;
    }

    /**
     * Gives {@code flag} a new value in the command line of every later start; the flag must be
     * there already, as {@code --flag value}.
     */
    synchronized void replaceFlag(String flag, String value) {
        int at = command.indexOf(flag);
        if (at < 0 || at + 1 >= command.size()) {
            throw new IllegalArgumentException(name + " has no " + flag + " value to replace: " + command);
        }
        List<String> changed = new java.util.ArrayList<>(command);
        changed.set(at + 1, value);
        command = List.copyOf(changed);
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    @Override
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    /** The exit status of the last incarnation; empty while it runs or before the first start. */
    public synchronized OptionalInt exitValue() {
        return process == null || process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    @Override
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void start() {
        launchDetached();
        awaitHealthy();
    }

    /** Starts the process without waiting for it to serve (a cluster member needs its peers first). */
    synchronized void launchDetached() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        launch();
    }

    /**
     * The etcdctl arguments whose success means the server is up; {@code endpoint health} (a
     * quorum read) by default.
     */
    List<String> readinessCheck() {
        return List.of("endpoint", "health");
    }

    @Override
    public synchronized void kill9() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit("SIGKILL");
        }
    }

    @Override
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(EXIT_TIMEOUT)) {
                process.destroyForcibly();
                awaitExit("SIGKILL after SIGTERM");
                throw new IllegalStateException(name + " did not exit within " + EXIT_TIMEOUT
                        + " after SIGTERM and was killed" + logTail());
            }
        }
    }

    @Override
    public synchronized void close() {
        kill9();
        if (reaper != null) {
            Runtime.getRuntime().removeShutdownHook(reaper);
            reaper = null;
        }
    }

    @Override
    public String toString() {
        return name + "[" + endpoint + ", data " + dataDir + "]";
    }

    private void launch() {
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "=== starting: " + String.join(" ", command) + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + command, e);
        }
        if (reaper == null) {
            reaper = new Thread(this::killQuietly, name + "-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
        }
    }

    /** Waits until {@link #readinessCheck()} succeeds; kills the process and throws if it does not in time. */
    synchronized void awaitHealthy() {
        Etcdctl etcdctl = new Etcdctl(endpoint).withTimeout(Duration.ofSeconds(10));
        Deadline deadline = Deadline.after(startTimeout);
        Etcdctl.Result last = null;
        while (!deadline.isExpired()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                        + " before becoming healthy" + logTail());
            }
            List<String> args = new java.util.ArrayList<>(List.of("--dial-timeout=1s", "--command-timeout=2s"));
            args.addAll(readinessCheck());
            last = etcdctl.run(args, null);
            if (last.ok()) {
                return;
            }
            waitFor(Duration.ofMillis(100));
        }
        String health = last == null ? "" : "; last health check: " + last.stdout() + last.stderr();
        process.destroyForcibly();
        awaitExit("SIGKILL");
        throw new IllegalStateException(name + " did not become healthy within " + startTimeout + health
                + logTail());
    }

    private void awaitExit(String signal) {
        if (!waitFor(EXIT_TIMEOUT)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") did not exit within "
                    + EXIT_TIMEOUT + " after " + signal);
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name, e);
        }
    }

    private void killQuietly() {
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
        }
    }

    /** The last lines of the log file, formatted to append to an exception message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return System.lineSeparator() + "--- last " + tail.size() + " lines of " + logFile + " ---"
                    + System.lineSeparator() + String.join(System.lineSeparator(), tail);
        } catch (IOException | UncheckedIOException e) {
            return System.lineSeparator() + "(cannot read " + logFile + ": " + e + ")";
        }
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }

    static String loopbackUrl(int port) {
        return "http://127.0.0.1:" + port;
    }
}
