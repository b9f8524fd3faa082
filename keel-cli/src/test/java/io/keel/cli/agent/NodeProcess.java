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
    private final List<String> args;
    private final int apiPort;
    private Process process;
    private int incarnation;

    NodeProcess(String machineId, Path workDir, String storeEndpoint, String dockerHost, String metadata,
            Duration ttl) {
        this.machineId = machineId;
        this.dataDir = workDir.resolve(machineId);
        this.apiPort = FreePorts.next();
        this.args = List.of("node", "--endpoints", storeEndpoint, "--machine-id", machineId, "--data-dir",
                dataDir.toString(), "--api-listen", "127.0.0.1:" + apiPort, "--public-ip", "127.0.0.1",
                "--agent-ttl", ttl.toSeconds() + "s", "--engine-reconcile-interval", "1s", "--metadata", metadata,
                "--docker-host", dockerHost);
    }

    String machineId() {
        return machineId;
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
