package io.keel.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Keel store member ({@code io.keel.cli.Keel store}, which takes etcd's flags) in its own JVM
 * on free loopback ports, data in {@code workDir/keel-data}.
 */
public final class KeelStoreProcess extends ServerProcess {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final String MAIN_CLASS = "io.keel.cli.Keel";

    private KeelStoreProcess(List<String> command, Path dataDir, Path logFile, String endpoint) {
        super("keel store", command, dataDir, logFile, endpoint, START_TIMEOUT);
    }

    /**
     * Starts a single-member Keel store and returns once {@code etcdctl endpoint health}
     * succeeds.
     *
     * @param classpath a classpath holding {@code io.keel.cli.Keel} and its dependencies, such
     *     as {@code System.getProperty("java.class.path")} in a keel-cli test
     * @param extraArgs appended after the standard flags
     */
    public static KeelStoreProcess start(Path workDir, String classpath, String... extraArgs) {
        return start(workDir, classpath, List.of(), extraArgs);
    }

    /** As {@link #start(Path, String, String...)}, with {@code jvmOptions} before the main class. */
    public static KeelStoreProcess start(Path workDir, String classpath, List<String> jvmOptions,
            String... extraArgs) {
        Installed.require("etcdctl");
        createDirectories(workDir);
        int[] ports = FreePorts.allocate(2);
        String clientUrl = loopbackUrl(ports[0]);
        String peerUrl = loopbackUrl(ports[1]);
        Path dataDir = workDir.resolve("keel-data");
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, MAIN_CLASS, "store",
                "--name", "default",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl,
                "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "default=" + peerUrl));
        command.addAll(List.of(extraArgs));
        KeelStoreProcess process = new KeelStoreProcess(command, dataDir, workDir.resolve("keel.log"), clientUrl);
        process.start();
        return process;
    }

    /** {@code $JAVA_HOME/bin/java} if it exists, else the java running this JVM. */
    static String java() {
        Optional<Path> fromHome = Optional.ofNullable(System.getenv("JAVA_HOME"))
                .map(home -> Path.of(home, "bin", "java"))
                .filter(Files::isExecutable);
        return fromHome.map(Path::toString)
                .or(() -> ProcessHandle.current().info().command())
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
