package io.keel.cli.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.Schema;
import io.keel.api.client.FleetClient;
import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.FreePorts;
import io.keel.testkit.KeelStoreProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Machines provisioned from cloud-config files whose {@code store:} section bootstraps the store
 * cluster by discovery: each {@code keel node --config} runs a store member and a node on it; the
 * first three form the cluster and see each other, a fourth is told the cluster is full.
 */
class MachineFileDiscoveryTest {
    private static final Duration START = Duration.ofSeconds(120);
    private static final String TOKEN = "machines-1";

    @TempDir
    Path work;

    private record Machine(String name, String client, String api, Process process, Path log) {
        String logText() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        FleetClient fleet() {
            return new FleetClient(api, Duration.ofSeconds(5));
        }
    }

    @Test
    void threeMachinesFormTheStoreClusterByDiscoveryAndAFourthIsToldItIsFull() throws Exception {
        List<Machine> machines = new ArrayList<>();
        try (KeelStoreProcess discovery = KeelStoreProcess.start(work.resolve("discovery"),
                System.getProperty("java.class.path"))) {
            Etcdctl service = new Etcdctl(discovery.endpoint()).withTimeout(Duration.ofSeconds(30));
            assertThat(service.run("put", DiscoveryKeys.sizeKey(TOKEN), "3").exitCode()).isZero();
            String endpoint = discovery.endpoint().replace("http://", "");
            try {
                for (String name : List.of("m1", "m2", "m3")) {
                    machines.add(start(name, endpoint));
                }
                for (Machine m : machines) {
                    Await.until(START, m.name() + " sees the three machines", () -> machineIds(m).size() == 3);
                    assertThat(machineIds(m)).isEqualTo(Set.of("m1", "m2", "m3"));
                }
                String members = new Etcdctl(machines.get(0).client()).run("member", "list").stdout();
                assertThat(members.lines().count()).as(members).isEqualTo(3);
                assertThat(members).contains(", started, m1, ", ", started, m2, ", ", started, m3, ");

                Etcdctl first = new Etcdctl(machines.get(0).client()).withTimeout(Duration.ofSeconds(30));
                assertThat(first.run("put", "/apps/web/greeting", "hello").exitCode()).isZero();
                assertThat(new Etcdctl(machines.get(2).client()).run("get", "/apps/web/greeting",
                        "--print-value-only").stdout().trim()).isEqualTo("hello");

                Machine late = start("m4", endpoint);
                assertThat(late.process().waitFor(60, TimeUnit.SECONDS)).as("m4 exits on its own").isTrue();
                assertThat(late.process().exitValue()).as(late.logText()).isNotZero();
                assertThat(late.logText()).contains("cluster is full");
                assertThat(machineIds(machines.get(0))).isEqualTo(Set.of("m1", "m2", "m3"));
            } finally {
                for (Machine m : machines) {
                    m.process().destroy();
                }
                for (Machine m : machines) {
                    if (!m.process().waitFor(60, TimeUnit.SECONDS)) {
                        m.process().destroyForcibly();
                    }
                }
            }
        }
    }

    private static Set<String> machineIds(Machine m) {
        if (!m.process().isAlive()) {
            throw new AssertionError(m.name() + " exited: " + m.logText());
        }
        try {
            return m.fleet().machines().stream().map(Schema.Machine::id).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            return Set.of();
        }
    }

    private Machine start(String name, String discoveryEndpoint) throws IOException {
        int[] ports = FreePorts.allocate(3);
        Path dir = Files.createDirectories(work.resolve(name));
        String client = "http://127.0.0.1:" + ports[0];
        Path file = Files.writeString(dir.resolve("machine.yaml"), """
                #cloud-config
                store:
                  name: %s
                  listen-client-urls: %s
                  listen-peer-urls: http://127.0.0.1:%d
                  discovery-token: %s
                  discovery-endpoints: [%s]
                keel:
                  machine-id: %s
                  data-dir: %s
                  api-listen: 127.0.0.1:%d
                  agent: false
                  reboot: {strategy: "off"}
                """.formatted(name, client, ports[1], TOKEN, discoveryEndpoint, name, dir.resolve("node"), ports[2]));
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.keel.cli.Keel",
                "node", "--config", file.toString()));
        Path log = dir.resolve("node.log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(new File("/dev/null")).start();
        return new Machine(name, client, "http://127.0.0.1:" + ports[2], process, log);
    }
}
