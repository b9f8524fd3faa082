package io.keel.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the real {@code etcdctl} (API v3) against one endpoint. Every call has a timeout: a
 * command still running when it expires is killed, so a test can never hang on etcdctl.
 */
public final class Etcdctl {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** What one etcdctl invocation printed and how it exited. */
    public record Result(int exitCode, String stdout, String stderr) {

        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path executable;
    private final String endpoints;
    private final Duration timeout;

    /** {@code endpoints} as etcdctl takes them: one URL or a comma-separated list. */
    public Etcdctl(String endpoints) {
        this(Installed.require("etcdctl"), endpoints, DEFAULT_TIMEOUT);
    }

    /** For the harness's own tests: {@code executable} stands in for etcdctl. */
    Etcdctl(Path executable, String endpoints, Duration timeout) {
        this.executable = executable;
        this.endpoints = endpoints;
        this.timeout = timeout;
    }

    public Etcdctl withTimeout(Duration newTimeout) {
        return new Etcdctl(executable, endpoints, newTimeout);
    }

    public String endpoints() {
        return endpoints;
    }

    public Result run(String... args) {
        return run(List.of(args), null);
    }

    public Result runWithStdin(String stdin, String... args) {
        return run(List.of(args), stdin.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs etcdctl to completion. Throws {@link IllegalStateException} (with the output so far)
     * if it has not exited within the timeout.
     */
    public Result run(List<String> args, byte[] stdin) {
        Running running = launch(args, stdin);
        if (!running.awaitExit(timeout)) {
            Result partial = running.kill();
            throw new IllegalStateException("etcdctl " + String.join(" ", args) + " did not exit within "
                    + timeout + "; stdout so far: " + partial.stdout() + "; stderr: " + partial.stderr());
        }
        return running.result();
    }

    /**
     * For commands that do not exit by themselves, such as {@code watch}: runs etcdctl until
     * its stdout satisfies {@code done}, it exits, or {@code limit} elapses, then kills it
     * (SIGKILL) and returns everything it printed, stderr included. Never throws on timeout.
     */
    public Result runUntil(List<String> args, byte[] stdin, Duration limit, Predicate<String> done) {
        Running running = launch(args, stdin);
        running.stdout.awaitText(done, Deadline.after(limit), running.process);
        if (running.stdout.isClosed()) {
            running.awaitExit(timeout);
        }
        return running.process.isAlive() ? running.kill() : running.result();
    }

    private Running launch(List<String> args, byte[] stdin) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.add("--endpoints=" + endpoints);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("ETCDCTL_"));
        env.put("ETCDCTL_API", "3");
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        try {
            Process process = builder.start();
            Running running = new Running(process);
            if (stdin != null) {
                Thread.ofVirtual().name("etcdctl-stdin").start(() -> feed(process.getOutputStream(), stdin));
            }
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    private static void feed(OutputStream in, byte[] bytes) {
        try (in) {
            in.write(bytes);
        } catch (IOException ignored) {
            // etcdctl exited or closed stdin before reading it all; its exit status tells why
        }
    }

    private static final class Running {
        final Process process;
        final Collector stdout;
        final Collector stderr;

        Running(Process process) {
            this.process = process;
            this.stdout = Collector.start(process.getInputStream(), "etcdctl-stdout");
            this.stderr = Collector.start(process.getErrorStream(), "etcdctl-stderr");
        }

        boolean awaitExit(Duration limit) {
            try {
                return process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("Interrupted while running etcdctl", e);
            }
        }

        /**
         * Kills through the process handle, which leaves the pipes open: {@link
         * Process#destroyForcibly()} closes them and drops whatever etcdctl printed that the
         * collectors had not read yet.
         */
        Result kill() {
            process.toHandle().destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
            return result();
        }

        Result result() {
            int exit = process.exitValue();
            return new Result(exit, stdout.finish(), stderr.finish());
        }
    }

    /** Drains one stream to its end on a thread of its own; readers can wait for the text to match. */
    private static final class Collector {
        private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final String name;
        private Thread thread;
        private boolean closed;
        private IOException failure;

        private Collector(String name) {
            this.name = name;
        }

        static Collector start(InputStream in, String name) {
            Collector collector = new Collector(name);
            collector.thread = Thread.ofPlatform().daemon().name(name).start(() -> collector.drain(in));
            return collector;
        }

        private void drain(InputStream in) {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (this) {
                        buffer.write(chunk, 0, n);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                synchronized (this) {
                    failure = e;
                }
            } finally {
                synchronized (this) {
                    closed = true;
                    notifyAll();
                }
            }
        }

        synchronized void awaitText(Predicate<String> done, Deadline deadline, Process process) {
            while (!done.test(buffer.toString(StandardCharsets.UTF_8)) && !closed && process.isAlive()) {
                long millis = deadline.remaining().toMillis();
                if (millis <= 0) {
                    return;
                }
                try {
                    wait(Math.min(millis, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        synchronized boolean isClosed() {
            return closed;
        }

        /** Everything etcdctl wrote to the stream; throws rather than return part of it. */
        String finish() {
            try {
                thread.join(DRAIN_LIMIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                if (!closed) {
                    throw new IllegalStateException(name + " still open " + DRAIN_LIMIT
                            + " after etcdctl exited; so far: " + buffer.toString(StandardCharsets.UTF_8));
                }
                if (failure != null) {
                    throw new UncheckedIOException("Cannot read " + name, failure);
                }
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
