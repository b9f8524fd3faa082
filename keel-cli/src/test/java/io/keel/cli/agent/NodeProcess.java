package io.keel.cli.agent;

import io.keel.api.client.FleetClient;
import io.keel.testkit.Await;
import io.keel.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code keel node} process on the test classpath, restartable on the same data dir and port. */
final class NodeProcess implements AutoCloseable {

    private final String machineId;
    private final Path dataDir;
    private final List<String> args = new ArrayList<>();
    private final int apiPort;
    private volatile Process process;
    private volatile int incarnation;
    private volatile boolean supervised;

    /** A node configured by flags; {@code metadata} as the flag takes it ({@code rack=a,role=web}). */
    NodeProcess(String machineId, Path workDir, String storeEndpoint, String dockerHost, String metadata,
            Duration ttl) {
        this(machineId, workDir);
        this.args.addAll(List.of("node", "--endpoints", storeEndpoint, "--machine-id", machineId, "--data-dir",
                dataDir.toString(), "--api-listen", "127.0.0.1:" + apiPort, "--public-ip", "127.0.0.1",
                "--agent-ttl", ttl.toSeconds() + "s", "--engine-reconcile-interval", "1s", "--metadata", metadata,
                "--docker-host", dockerHost));
    }

    private NodeProcess(String machineId, Path workDir) {
        this.machineId = machineId;
        this.dataDir = workDir.resolve(machineId);
        this.apiPort = FreePorts.next();
    }

    /**
     * A node provisioned from a cloud-config machine file ({@code keel node --config
     * <workDir>/<machineId>.yaml}) whose {@code keel:} section holds the settings the flags of the
     * other constructor give, followed by {@code sections} (top-level YAML such as a {@code units:} list).
     */
    static NodeProcess fromMachineFile(String machineId, Path workDir, String storeEndpoint, String dockerHost,
            String metadata, Duration ttl, String sections) {
        NodeProcess node = new NodeProcess(machineId, workDir);
        String metadataYaml = java.util.Arrays.stream(metadata.split(","))
                .map(kv -> kv.split("=", 2))
                .map(kv -> kv[0] + ": \"" + kv[1] + "\"")
                .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
        String yaml = """
                #cloud-config
                keel:
                  endpoints: ["%s"]
                  machine-id: "%s"
                  data-dir: "%s"
                  api-listen: "127.0.0.1:%d"
                  public-ip: "127.0.0.1"
                  agent-ttl: "%ds"
                  engine-reconcile-interval: "1s"
                  metadata: %s
                  docker-host: "%s"
                """.formatted(storeEndpoint, machineId, node.dataDir, node.apiPort, ttl.toSeconds(), metadataYaml,
                dockerHost) + sections;
        try {
            Path file = Files.writeString(workDir.resolve(machineId + ".yaml"), yaml);
            node.args.addAll(List.of("node", "--config", file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return node;
    }

    /** The journal file of {@code unit} on this machine, as the agent writes it. */
    Path journal(String unit) {
        return dataDir.resolve("journal").resolve(unit + ".log");
    }

    /** More {@code keel node} flags, for the next start. */
    NodeProcess with(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** Logs of every start of this node, oldest first. */
    List<Path> logs() {
        List<Path> all = new ArrayList<>();
        for (int i = 1; i <= incarnation; i++) {
            all.add(dataDir.resolve("node-" + i + ".log"));
        }
        return all;
    }

    /**
     * Starts the node and, as {@code bin/keel} does, starts it again whenever it exits with 75
     * (it restarted itself into another slot). Returns once the first start serves its API.
     */
    void startSupervised() {
        supervised = true;
        start();
    }

    String machineId() {
        return machineId;
    }

    Path dataDir() {
        return dataDir;
    }

    String api() {
        return "http://127.0.0.1:" + apiPort;
    }

    FleetClient fleet() {
        return new FleetClient(api(), Duration.ofSeconds(10));
    }

    Path log() {
        return dataDir.resolve("node-" + incarnation + ".log");
    }

    void start() {
        launch();
        awaitApi();
    }

    private synchronized void launch() {
        try {
            Files.createDirectories(dataDir);
            incarnation++;
            List<String> command = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Xss512k", "-cp", System.getProperty("java.class.path"), "io.keel.cli.Keel"));
            command.addAll(args);
            process = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log().toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (supervised) {
            Process started = process;
            started.onExit().thenAccept(p -> {
                if (p.exitValue() == 75 && supervised && process == started) {
                    launch();
                }
            });
        }
    }

    private void awaitApi() {
        FleetClient fleet = fleet();
        Await.until(Duration.ofSeconds(60), "node " + machineId + " serves its API (log: " + log() + ")", () -> {
            if (!process.isAlive()) {
                throw new AssertionError("node " + machineId + " exited: " + readLog());
            }
            try {
                fleet.node();
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    void kill9() {
        supervised = false;
        process.destroyForcibly();
        waitFor();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String readLog() {
        try {
            return Files.readString(log());
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("node " + machineId + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM: the node stops its units and leaves the cluster. */
    @Override
    public void close() {
        supervised = false;
        if (isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
