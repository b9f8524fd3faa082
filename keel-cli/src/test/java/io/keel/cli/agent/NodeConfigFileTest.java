package io.keel.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.client.FleetClient;
import io.keel.testkit.Await;
import io.keel.testkit.EtcdProcess;
import io.keel.testkit.FreePorts;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code keel node --config machine.yaml}: a cloud-config file provisions and starts a machine, or starts nothing. */
class NodeConfigFileTest {

    @Test
    void aMachineFileWritesItsFilesRegistersTheMachineAndStartsItsUnits() throws Exception {
        Path work = Files.createTempDirectory("keel-node-config-");
        int api = FreePorts.next();
        try (EtcdProcess store = EtcdProcess.start(work.resolve("etcd"))) {
            Path file = Files.writeString(work.resolve("machine.yaml"), """
                    #cloud-config
                    keel:
                      endpoints: [%s]
                      machine-id: cfg-1
                      data-dir: %s
                      metadata: {rack: z, role: web}
                      api-listen: 127.0.0.1:%d
                      agent-ttl: 5s
                      reboot: {strategy: "off"}
                    units:
                      - name: hello.service
                        command: start
                        content: |
                          [Service]
                          ExecStart=/bin/sleep 100000
                    write_files:
                      - path: %s
                        permissions: "0640"
                        content: "greeting=hello\\n"
                    """.formatted(store.endpoint(), work.resolve("node"), api, work.resolve("etc/app.conf")));
            Process node = start(work, "node", "--config", file.toString());
            try {
                FleetClient fleet = new FleetClient("http://127.0.0.1:" + api, Duration.ofSeconds(5));
                Await.until(Duration.ofSeconds(60), "hello.service runs on cfg-1", () -> {
                    try {
                        return fleet.states().stream().anyMatch(s -> s.name().equals("hello.service")
                                && s.machineID().equals("cfg-1") && "active".equals(s.systemdActiveState()));
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
                assertThat(fleet.machines().get(0).metadata()).containsEntry("rack", "z").containsEntry("role", "web");
                Path written = work.resolve("etc/app.conf");
                assertThat(Files.readString(written)).isEqualTo("greeting=hello\n");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written))).isEqualTo("rw-r-----");
            } finally {
                node.destroy();
                assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void aFileWithErrorsStartsNothingAndNamesTheLine() throws Exception {
        Path work = Files.createTempDirectory("keel-node-config-bad-");
        Path file = Files.writeString(work.resolve("machine.yaml"), """
                keel:
                  endpoints: [http://127.0.0.1:1]
                  reboot: {strategy: off}
                write_files:
                  - path: %s
                    permissions: 0644
                    content: "x"
                """.formatted(work.resolve("never-written")));
        Process node = start(work, "node", "--config", file.toString());
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(work.resolve("out.log"));
        assertThat(node.exitValue()).as(stderr).isNotZero();
        assertThat(stderr).contains("machine.yaml:3", "strategy", "machine.yaml:6", "permissions");
        assertThat(work.resolve("never-written")).doesNotExist();
    }

    private static Process start(Path work, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.keel.cli.Keel"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("out.log").toFile()).redirectInput(new File("/dev/null")).start();
    }
}
