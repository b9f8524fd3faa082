package io.keel.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real single-member {@code etcd} on free loopback ports, data in {@code workDir/etcd-data}. */
public final class EtcdProcess extends ServerProcess {

    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private EtcdProcess(List<String> command, Path dataDir, Path logFile, String endpoint) {
        super("etcd", command, dataDir, logFile, endpoint, START_TIMEOUT);
    }

    /**
     * Starts etcd and returns once {@code etcdctl endpoint health} succeeds.
     *
     * @param extraArgs appended after the standard flags
     */
    public static EtcdProcess start(Path workDir, String... extraArgs) {
        Path etcd = Installed.require("etcd");
        Installed.require("etcdctl");
        createDirectories(workDir);
        int[] ports = FreePorts.allocate(2);
        String clientUrl = loopbackUrl(ports[0]);
        String peerUrl = loopbackUrl(ports[1]);
        Path dataDir = workDir.resolve("etcd-data");
        List<String> command = new ArrayList<>(List.of(
                etcd.toString(),
                "--name", "default",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl,
                "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "default=" + peerUrl));
        command.addAll(List.of(extraArgs));
        EtcdProcess process = new EtcdProcess(command, dataDir, workDir.resolve("etcd.log"), clientUrl);
        process.start();
        return process;
    }
}
