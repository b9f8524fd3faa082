package io.keel.testkit.docker;

import io.keel.testkit.Deadline;
import io.keel.testkit.Installed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * A real Docker Engine for tests. {@link #shared()} uses {@code DOCKER_HOST} if it answers, else a
 * private {@code dockerd} under {@value #HOME} (no bridge, no iptables: containers use network
 * {@code host} or {@code none}). That daemon is started once and left running, so later test JVMs
 * and other modules reuse it; stop it with {@code kill $(cat /tmp/keel-docker/docker.pid)}.
 * Nothing is ever pulled: test images are built locally ({@link #busyboxImage()}).
 *
 * <p>A missing {@code dockerd} or {@code docker} is an error, never a skip.
 */
public final class DockerEngine {

    public static final String HOME = "/tmp/keel-docker";
    public static final String BUSYBOX_IMAGE = "keel-test/busybox:1";

    private static final Path HOME_DIR = Path.of(HOME);
    private static final String PRIVATE_HOST = "unix://" + HOME + "/docker.sock";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String INSTALL_HINT = "apt-get install docker.io busybox-static";

    private static DockerEngine shared;

    private final String host;
    private final DockerCli cli;
    private boolean busyboxReady;

    private DockerEngine(String host, DockerCli cli) {
        this.host = host;
        this.cli = cli;
    }

    /** A running engine, started on first use (see the class comment). Throws if there is none. */
    public static synchronized DockerEngine shared() {
        if (shared == null) {
            DockerCli cli = new DockerCli(findCli());
            String env = System.getenv("DOCKER_HOST");
            if (env != null && !env.isBlank() && cli.ping(env)) {
                shared = new DockerEngine(env, cli);
            } else {
                shared = new DockerEngine(PRIVATE_HOST, cli);
                shared.startPrivateDaemon();
            }
        }
        return shared;
    }

    /** The engine's address, e.g. {@code unix:///tmp/keel-docker/docker.sock}. */
    public String dockerHost() {
        return host;
    }

    /**
     * The name of a local image holding a static busybox with its applets in {@code /bin}
     * (sh, echo, sleep, cat, touch, ...), imported from this machine's {@code /bin/busybox}.
     */
    public synchronized String busyboxImage() {
        if (!busyboxReady) {
            try (HomeLock lock = lock()) {
                if (cli.run(host, "image", "inspect", BUSYBOX_IMAGE).exitCode() != 0) {
                    Path tar = BusyboxRootfs.write(HOME_DIR.resolve("busybox-rootfs-" + ProcessHandle.current().pid()));
                    try {
                        cli.runOrThrow(host, "import", tar.toString(), BUSYBOX_IMAGE);
                    } finally {
                        Files.deleteIfExists(tar);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            busyboxReady = true;
        }
        return BUSYBOX_IMAGE;
    }

    /** Force-removes every container (running or not) labelled {@code labelKey=labelValue}. */
    public void removeContainers(String labelKey, String labelValue) {
        String ids = cli.runOrThrow(host, "ps", "-aq", "--filter", "label=" + labelKey + "=" + labelValue);
        List<String> args = new ArrayList<>(List.of("rm", "-f"));
        ids.lines().map(String::strip).filter(s -> !s.isEmpty()).forEach(args::add);
        if (args.size() > 2) {
            cli.runOrThrow(host, args.toArray(String[]::new));
        }
    }

    /** Runs {@code docker -H <host> args...} and returns its stdout; throws if it fails. */
    public String docker(String... args) {
        return cli.runOrThrow(host, args);
    }

    private void startPrivateDaemon() {
        try {
            Files.createDirectories(HOME_DIR);
            try (HomeLock lock = lock()) {
                if (cli.ping(host)) {
                    return;
                }
                Path dockerd = findDockerd();
                Path log = HOME_DIR.resolve("dockerd.log");
                Process process = new ProcessBuilder(dockerd.toString(),
                        "--bridge=none", "--iptables=false", "--ip6tables=false",
                        "-H", host,
                        "--data-root", HOME + "/root",
                        "--exec-root", HOME + "/exec",
                        "--pidfile", HOME + "/docker.pid")
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectErrorStream(true)
                        .start();
                awaitReady(process, log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not start dockerd under " + HOME + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Process process, Path log) throws IOException {
        Deadline deadline = Deadline.after(START_TIMEOUT);
        long pause = 10_000_000L;
        while (!cli.ping(host)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dockerd exited with " + process.exitValue() + " before answering on "
                        + host + "; end of " + log + ":\n" + tail(log));
            }
            if (deadline.isExpired()) {
                process.destroy();
                throw new IllegalStateException("dockerd did not answer on " + host + " within " + START_TIMEOUT
                        + "; end of " + log + ":\n" + tail(log));
            }
            LockSupport.parkNanos(Math.min(pause, deadline.remaining().toNanos()));
            pause = Math.min(pause * 2, 200_000_000L);
        }
    }

    /** Serializes starting the daemon and importing images across test JVMs. */
    private static HomeLock lock() throws IOException {
        Files.createDirectories(HOME_DIR);
        FileChannel channel = FileChannel.open(HOME_DIR.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            channel.lock();
            return new HomeLock(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static Path findCli() {
        Path debian = Path.of("/usr/bin/docker");
        Optional<Path> cli = Files.isExecutable(debian) ? Optional.of(debian) : Installed.find("docker");
        return cli.orElseThrow(() -> new IllegalStateException(missing("the docker CLI")));
    }

    private static Path findDockerd() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("The tests start their own dockerd, which needs root (running as "
                    + System.getProperty("user.name") + "); or set DOCKER_HOST to a running engine.");
        }
        return Installed.find("dockerd").or(() -> Installed.find("/usr/sbin/dockerd"))
                .orElseThrow(() -> new IllegalStateException(missing("dockerd")));
    }

    private static String missing(String what) {
        String where = "true".equals(System.getenv("CI")) ? " on this CI machine" : "";
        return what + " is not installed" + where + "; the Docker runtime tests need a real Docker Engine"
                + " (Debian package docker.io): " + INSTALL_HINT + ", or set DOCKER_HOST to a running engine.";
    }

    private record HomeLock(FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
