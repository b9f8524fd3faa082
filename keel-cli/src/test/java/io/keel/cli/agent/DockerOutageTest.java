package io.keel.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.Schema;
import io.keel.api.client.FleetClient;
import io.keel.cluster.unit.UnitFile;
import io.keel.testkit.Await;
import io.keel.testkit.EtcdProcess;
import io.keel.testkit.docker.DockerEngine;
import io.keel.testkit.docker.UnixSocketProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Docker Engine goes away under a running node (its socket is cut by a proxy) and comes back:
 * container units are reported failed with the reason, the agent and its API stay up, and the
 * launched units run again once the engine answers.
 */
class DockerOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void containerUnitsFailWhileTheEngineIsAwayAndRunAgainWhenItReturns() throws Exception {
        DockerEngine docker = DockerEngine.shared();
        String image = docker.busyboxImage();
        Path workDir = Files.createTempDirectory("keel-docker-outage-");
        Path engineSocket = Path.of(docker.dockerHost().substring("unix://".length()));
        String machine = "outage-m";
        docker.removeContainers("io.keel.machine", machine);
        try (EtcdProcess store = EtcdProcess.start(workDir.resolve("etcd"));
                UnixSocketProxy proxy = new UnixSocketProxy(workDir.resolve("docker.sock"), engineSocket);
                NodeProcess node = new NodeProcess(machine, workDir, store.endpoint(), proxy.dockerHost(), "rack=x",
                        Duration.ofSeconds(10))) {
            node.start();
            FleetClient fleet = node.fleet();
            fleet.createUnit("box.service", UnitFile.parse("""
                    [Service]
                    TimeoutStopSec=2

                    [Container]
                    Image=%s
                    Exec=/bin/sh -c "trap 'exit 0' TERM; echo box up; while true; do sleep 1; done"
                    Network=none
                    """.formatted(image)).options(), "launched");
            Await.until(WAIT, "box.service runs", () -> state(fleet, "box.service", "active", "running"));

            proxy.cut();
            Await.until(WAIT, "box.service is reported failed", () -> state(fleet, "box.service", "failed", "failed"));
            fleet.createUnit("late.service", UnitFile.parse("""
                    [Container]
                    Image=%s
                    Exec=/bin/sleep 100000
                    Network=none
                    """.formatted(image)).options(), "launched");
            Await.until(WAIT, "late.service is reported failed", () -> state(fleet, "late.service", "failed", "failed"));
            assertThat(fleet.status("late.service")).contains("failed", "docker.sock");
            assertThat(node.isAlive()).isTrue();

            proxy.restore();
            Await.until(WAIT, "both units run again", () -> state(fleet, "box.service", "active", "running")
                    && state(fleet, "late.service", "active", "running"));
            assertThat(docker.docker("ps", "-q", "--filter", "label=io.keel.machine=" + machine).lines().count())
                    .as("one container per unit, the stale one replaced").isEqualTo(2);
        } finally {
            docker.removeContainers("io.keel.machine", machine);
        }
    }

    private static boolean state(FleetClient fleet, String unit, String active, String sub) {
        List<Schema.UnitState> states = fleet.states().stream().filter(s -> s.name().equals(unit)).toList();
        return states.size() == 1 && active.equals(states.get(0).systemdActiveState())
                && sub.equals(states.get(0).systemdSubState());
    }
}
