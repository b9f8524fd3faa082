package io.keel.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.client.FleetClient;
import io.keel.cluster.unit.UnitFile;
import io.keel.testkit.Await;
import io.keel.testkit.EtcdProcess;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.docker.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A container's root filesystem is read-only unless the store's policy makes it mutable; `keel status` says which and why. */
class RootfsPolicyScenarioTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void writingIntoTheRootFilesystemFailsUnlessTheStoresPolicyMakesItMutable() throws Exception {
        DockerEngine docker = DockerEngine.shared();
        Path work = Files.createTempDirectory("keel-rootfs-");
        String machine = "rootfs-m";
        docker.removeContainers("io.keel.machine", machine);
        try (EtcdProcess store = EtcdProcess.start(work.resolve("etcd"));
                NodeProcess node = new NodeProcess(machine, work, store.endpoint(), docker.dockerHost(), "rack=p",
                        Duration.ofSeconds(10))) {
            node.start();
            FleetClient fleet = node.fleet();
            fleet.createUnit("probe.service", UnitFile.parse("""
                    [Service]
                    TimeoutStopSec=2

                    [Container]
                    Image=%s
                    Exec=/bin/sh -c "trap 'exit 0' TERM; if touch /probe 2>/dev/null; then echo rootfs-writable; else echo rootfs-read-only; fi; while true; do sleep 1; done"
                    Network=none
                    """.formatted(docker.busyboxImage())).options(), "launched");
            Await.until(WAIT, "the probe ran read-only", () -> journal(fleet).contains("rootfs-read-only"));
            assertThat(fleet.status("probe.service")).contains("Root FS: read-only (containers are immutable by default)");

            new Etcdctl(store.endpoint()).run("put", "/keel/policy/rootfs/probe.service", "mutable");
            fleet.setDesiredState("probe.service", "loaded");
            Await.until(WAIT, "the probe stopped", () -> fleet.states().stream()
                    .anyMatch(s -> s.name().equals("probe.service") && "inactive".equals(s.systemdActiveState())));
            fleet.setDesiredState("probe.service", "launched");
            Await.until(WAIT, "the probe ran writable", () -> journal(fleet).contains("rootfs-writable"));
            assertThat(fleet.status("probe.service"))
                    .contains("Root FS: writable (/keel/policy/rootfs/probe.service = mutable)");
        } finally {
            docker.removeContainers("io.keel.machine", machine);
        }
    }

    private static String journal(FleetClient fleet) {
        try {
            return fleet.journal("probe.service", 100);
        } catch (RuntimeException e) {
            return "";
        }
    }
}
