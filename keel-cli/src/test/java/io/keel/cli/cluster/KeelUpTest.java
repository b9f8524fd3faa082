package io.keel.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.Schema;
import io.keel.api.client.FleetClient;
import io.keel.cli.KeelInProcess;
import io.keel.cluster.unit.UnitFile;
import io.keel.testkit.Await;
import io.keel.testkit.FreePorts;
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
}
