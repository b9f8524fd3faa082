package io.keel.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.Schema;
import io.keel.api.client.FleetClient;
import io.keel.cli.KeelInProcess;
import io.keel.cluster.unit.UnitFile;
import io.keel.testkit.Await;
import io.keel.testkit.FreePorts;
import io.keel.testkit.docker.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code keel up}: a store and a node in one process, serving the fleet API on its own store. */
class KeelUpTest {

    @Test
    void upRunsAStoreAndANodeThatSchedulesOnItself() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "cluster").toAbsolutePath()),
                "up-");
        int[] ports = FreePorts.allocate(3);
        String api = "http://127.0.0.1:" + ports[2];
        Process up = CliProcess.start(Map.of(), dir, "up", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + ports[0],
                "--listen-peer-urls", "http://127.0.0.1:" + ports[1],
                "--api-listen", "127.0.0.1:" + ports[2], "--metadata", "role=all", "--agent-ttl", "5s");
        try {
            FleetClient fleet = new FleetClient(api, Duration.ofSeconds(5));
            Await.until(Duration.ofSeconds(90), "keel up serves the API and leads", () -> {
                try {
                    return fleet.machines().size() == 1 && "leader".equals(fleet.node().engine());
                } catch (RuntimeException e) {
                    return false;
                }
            });
            Schema.Machine machine = fleet.machines().get(0);
            assertThat(machine.metadata()).isEqualTo(Map.of("role", "all"));
            assertThat(Files.readString(dir.resolve("data").resolve("node").resolve("machine-id")).trim())
                    .isEqualTo(machine.id());

            fleet.createUnit("hello.service", UnitFile.parse("[Service]\nExecStart=/bin/true\n").options(), null);
            KeelInProcess.Result started = KeelInProcess.run("start", "--no-block", "--endpoint", api, "hello");
            assertThat(started.stdout()).isEqualTo("Triggered unit hello.service start\n");
            Await.until(Duration.ofSeconds(30), "hello.service scheduled on the machine", () ->
                    machine.id().equals(fleet.unit("hello.service").orElseThrow().machineID()));
        } finally {
            up.destroy();
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("keel up exits on SIGTERM").isTrue();
        }
        assertThat(up.exitValue()).isIn(0, 143);
    }

    @Test
    void upWithAMachineFileTakesItsMachineSettingsFilesAndUnits() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "cluster").toAbsolutePath()),
                "up-config-");
        int[] ports = FreePorts.allocate(3);
        Path written = dir.resolve("etc/app.conf");
        Path file = Files.writeString(dir.resolve("machine.yaml"), """
                #cloud-config
                keel:
                  machine-id: up-cfg
                  metadata: {rack: r1}
                  api-listen: 127.0.0.1:%d
                  agent-ttl: 5s
                units:
                  - name: idle.service
                    command: start
                    content: |
                      [Service]
                      ExecStart=/bin/sleep 100000
                write_files:
                  - path: %s
                    content: "from the machine file\\n"
                """.formatted(ports[2], written));
        Process up = CliProcess.start(Map.of(), dir, "up", "--config", file.toString(),
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + ports[0],
                "--listen-peer-urls", "http://127.0.0.1:" + ports[1], "--metadata", "rack=r2");
        try {
            FleetClient fleet = new FleetClient("http://127.0.0.1:" + ports[2], Duration.ofSeconds(5));
            Await.until(Duration.ofSeconds(90), "idle.service from the machine file runs on up-cfg", () -> {
                try {
                    return fleet.states().stream().anyMatch(s -> s.name().equals("idle.service")
                            && s.machineID().equals("up-cfg") && "active".equals(s.systemdActiveState()));
                } catch (RuntimeException e) {
                    return false;
                }
            });
            assertThat(fleet.machines().get(0).metadata()).as("a flag after --config wins")
                    .isEqualTo(Map.of("rack", "r2"));
            assertThat(Files.readString(written)).isEqualTo("from the machine file\n");
        } finally {
            up.destroy();
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("keel up exits on SIGTERM").isTrue();
        }
    }

    @Test
    void upRefusesAMachineFileWithNodeOnlySettingsBeforeStartingAnything() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "cluster").toAbsolutePath()),
                "up-config-bad-");
        Path never = dir.resolve("never-written");
        Path file = Files.writeString(dir.resolve("machine.yaml"), """
                keel:
                  endpoints: [http://127.0.0.1:1]
                  reboot: {strategy: etcd-lock}
                write_files:
                  - path: %s
                    content: x
                """.formatted(never));
        CliProcess.Result refused = CliProcess.run(Map.of(), dir, "up", "--config", file.toString(),
                "--data-dir", dir.resolve("data").toString());
        assertThat(refused.exit()).as(refused.stderr()).isNotZero();
        assertThat(refused.stderr()).contains("keel.endpoints", "keel.reboot", "only apply to keel node");
        assertThat(never).doesNotExist();
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void upWithTheReadmeExampleUnitShowsItRunningInAContainerAndRemovesItOnSigterm() throws Exception {
        DockerEngine docker = DockerEngine.shared();
        docker.docker("tag", docker.busyboxImage(), "busybox:latest");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "cluster").toAbsolutePath()),
                "up-readme-");
        Path example = Path.of("..", "examples", "hello.service").toAbsolutePath().normalize();
        int[] ports = FreePorts.allocate(3);
        Process up = CliProcess.start(Map.of("DOCKER_HOST", docker.dockerHost()), dir, "up",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + ports[0],
                "--listen-peer-urls", "http://127.0.0.1:" + ports[1],
                "--api-listen", "127.0.0.1:" + ports[2], example.toString());
        StringBuilder printed = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(up.getInputStream()))) {
                lines.lines().forEach(l -> {
                    synchronized (printed) {
                        printed.append(l).append('\n');
                    }
                });
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        String machine;
        try {
            try {
                Await.until(Duration.ofSeconds(120), "keel up prints the example unit running", () -> {
                    synchronized (printed) {
                        return printed.toString().lines().anyMatch(l -> l.startsWith("hello.service")
                                && l.contains("active") && l.contains("running"));
                    }
                });
            } catch (AssertionError e) {
                synchronized (printed) {
                    throw new AssertionError(e.getMessage() + "; keel up printed:\n" + printed, e);
                }
            }
            FleetClient fleet = new FleetClient("http://127.0.0.1:" + ports[2], Duration.ofSeconds(5));
            machine = fleet.machines().get(0).id();
            assertThat(docker.docker("ps", "-q", "--filter", "label=io.keel.machine=" + machine,
                    "--filter", "label=io.keel.unit=hello.service").lines().count()).isEqualTo(1);
            Await.until(Duration.ofSeconds(30), "the container's output is in the journal", () ->
                    fleet.journal("hello.service", 20).contains("hello from a Keel container"));
        } finally {
            up.destroy();
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("keel up exits on SIGTERM").isTrue();
            reader.join(5000);
        }
        assertThat(docker.docker("ps", "-aq", "--filter", "label=io.keel.machine=" + machine).strip())
                .as("no container left behind after SIGTERM").isEmpty();
    }
}
