package io.keel.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.agent.runtime.Exit;
import io.keel.agent.runtime.LaunchException;
import io.keel.agent.runtime.RunningProcess;
import io.keel.agent.runtime.Signal;
import io.keel.agent.service.ContainerSpec;
import io.keel.testkit.Await;
import io.keel.testkit.docker.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerContainersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> WAIT_FOR_TERM =
            List.of("sh", "-c", "trap 'exit 143' TERM; echo ready; sleep 600 & wait");

    private static DockerEngine engine;
    private static String image;

    private final String machineId = "test-" + UUID.randomUUID().toString().substring(0, 8);
    private DockerContainers containers;

    @BeforeAll
    static void engine() {
        engine = DockerEngine.shared();
        image = engine.busyboxImage();
    }

    @BeforeEach
    void connect() {
        containers = DockerContainers.connect(engine.dockerHost(), machineId);
    }

    @AfterEach
    void removeContainers() {
        containers.close();
        engine.removeContainers(DockerContainers.LABEL_MACHINE, machineId);
    }

    @Test
    void linesOfStdoutAndStderrReachTheSinkBeforeTheExitCode() throws Exception {
        RecordingSink sink = new RecordingSink();
        RunningProcess process = start("echo.service", spec(List.of("sh", "-c",
                "echo out1; echo err1 >&2; echo out2; printf partial; exit 3")), Map.of(), sink);

        assertThat(exit(process)).isEqualTo(Exit.ofCode(3));
        assertThat(sink.stdout).containsExactly("out1", "out2", "partial");
        assertThat(sink.stderr).containsExactly("err1");
        assertThat(process.id()).hasSize(12);
    }

    @Test
    void termEndsTheContainerAndIsReportedAsTheSignal() throws Exception {
        RecordingSink sink = new RecordingSink();
        RunningProcess process = start("term.service", spec(WAIT_FOR_TERM), Map.of(), sink);
        Await.until(TIMEOUT, "the container is ready", () -> sink.stdout.contains("ready"));

        process.signal(Signal.TERM);

        Exit exit = exit(process);
        assertThat(exit).isEqualTo(Exit.ofSignal(Signal.TERM.number()));
        assertThat(exit.clean()).isTrue();
        process.signal(Signal.TERM);
    }

    @Test
    void killEndsTheContainerAndIsReportedAsTheSignal() throws Exception {
        RunningProcess process = start("kill.service", spec(List.of("sleep", "600")), Map.of(), new RecordingSink());
        Await.until(TIMEOUT, "the container runs", () -> list().stream().anyMatch(ManagedContainer::running));

        process.signal(Signal.KILL);

        assertThat(exit(process).describe()).isEqualTo("code=killed, signal=KILL");
    }

    @Test
    void aCodeOf143WithoutASignalFromTheAgentIsAnExitCode() throws Exception {
        RunningProcess process = start("code.service", spec(List.of("sh", "-c", "exit 143")), Map.of(),
                new RecordingSink());

        assertThat(exit(process)).isEqualTo(Exit.ofCode(143));
    }

    @Test
    void aReadOnlyRootRefusesWritesExceptOnTmpfs() throws Exception {
        String script = "touch /probe; echo root=$?; touch /scratch/probe; echo tmpfs=$?";
        RecordingSink readOnly = new RecordingSink();
        RecordingSink writable = new RecordingSink();

        exit(start("ro.service", spec(List.of("sh", "-c", script), true, List.of(), List.of("/scratch"), 0, 0),
                Map.of(), readOnly));
        exit(start("rw.service", spec(List.of("sh", "-c", script), false, List.of(), List.of("/scratch"), 0, 0),
                Map.of(), writable));

        assertThat(readOnly.stdout).containsExactly("root=1", "tmpfs=0");
        assertThat(readOnly.stderr).anyMatch(l -> l.contains("Read-only file system"));
        assertThat(writable.stdout).containsExactly("root=0", "tmpfs=0");
    }

    @Test
    void aReadOnlyVolumeIsMountedReadOnly(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("data"), "from the host\n");
        RecordingSink sink = new RecordingSink();

        exit(start("vol.service", spec(List.of("sh", "-c", "cat /data/data; touch /data/new; echo write=$?"),
                false, List.of(dir + ":/data:ro"), List.of(), 0, 0), Map.of(), sink));

        assertThat(sink.stdout).containsExactly("from the host", "write=1");
        assertThat(dir.resolve("new")).doesNotExist();
    }

    @Test
    void theContainerEnvironmentWinsOverTheServiceEnvironment() throws Exception {
        RecordingSink sink = new RecordingSink();
        ContainerSpec spec = new ContainerSpec(image, List.of("sh", "-c", "echo \"$A $B\""), Map.of("A", "container"),
                List.of(), List.of(), false, 0, 0, ContainerSpec.NETWORK_NONE, Optional.empty(), Duration.ZERO);

        exit(start("env.service", spec, Map.of("A", "service", "B", "service"), sink));

        assertThat(sink.stdout).containsExactly("container service");
    }

    @Test
    void containersAreNamedAndLabelledForThisMachineAndListed() throws Exception {
        RunningProcess process = start("web@1.service", spec(List.of("sleep", "600")), Map.of(), new RecordingSink());

        assertThat(list()).singleElement().satisfies(c -> {
            assertThat(c.id()).startsWith(process.id());
            assertThat(c.name()).isEqualTo("keel-" + machineId + "-web-1.service");
            assertThat(c.unit()).isEqualTo("web@1.service");
            assertThat(c.unitHash()).isEqualTo("hash-1");
            assertThat(c.machineId()).isEqualTo(machineId);
            assertThat(c.running()).isTrue();
        });
        try (DockerContainers otherMachine = DockerContainers.connect(engine.dockerHost(), machineId + "-other")) {
            assertThat(otherMachine.list()).isEmpty();
        }
    }

    @Test
    void startingAgainReplacesAStaleContainerOfTheSameName() throws Exception {
        RunningProcess first = start("again.service", spec(List.of("sleep", "600")), Map.of(), new RecordingSink());
        RunningProcess second = start("again.service", spec(List.of("sleep", "600")), Map.of(), new RecordingSink());

        assertThat(list()).singleElement().satisfies(c -> assertThat(c.id()).startsWith(second.id()));
        assertThat(first.id()).isNotEqualTo(second.id());
    }

    @Test
    void adoptFindsTheRunningContainerOfTheSameVersionAndFollowsOnlyNewOutput() throws Exception {
        ContainerSpec spec = spec(List.of("sh", "-c",
                "echo before; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo after; exit 7"));
        RecordingSink firstAgent = new RecordingSink();
        RunningProcess started = containers.launcher("adopt.service", "hash-1", spec).start(Map.of(), firstAgent);
        Await.until(TIMEOUT, "the container wrote its first line", () -> firstAgent.stdout.contains("before"));

        RecordingSink sink = new RecordingSink();
        try (DockerContainers nextAgent = DockerContainers.connect(engine.dockerHost(), machineId)) {
            assertThat(nextAgent.launcher("adopt.service", "hash-2", spec).adopt(new RecordingSink())).isEmpty();
            assertThat(nextAgent.launcher("other.service", "hash-1", spec).adopt(new RecordingSink())).isEmpty();
            RunningProcess adopted = nextAgent.launcher("adopt.service", "hash-1", spec).adopt(sink).orElseThrow();
            assertThat(adopted.id()).isEqualTo(started.id());

            engine.docker("exec", started.id(), "touch", "/tmp/go");

            assertThat(exit(adopted)).isEqualTo(Exit.ofCode(7));
            assertThat(sink.stdout).containsExactly("after");
        }
    }

    @Test
    void adoptFindsNothingOnceTheContainerHasEnded() throws Exception {
        ContainerSpec spec = spec(List.of("true"));
        exit(containers.launcher("done.service", "hash-1", spec).start(Map.of(), new RecordingSink()));

        assertThat(containers.launcher("done.service", "hash-1", spec).adopt(new RecordingSink())).isEmpty();
    }

    @Test
    void aMissingImageIsALaunchErrorNamingTheImageAndIsNeverPulled() {
        ContainerSpec spec = new ContainerSpec("keel-test/absent:404", List.of(), Map.of(), List.of(), List.of(), false,
                0, 0, ContainerSpec.NETWORK_NONE, Optional.empty(), Duration.ZERO);

        assertThatThrownBy(() -> containers.launcher("absent.service", "h", spec).start(Map.of(), new RecordingSink()))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("image keel-test/absent:404 not found in the local Docker Engine");
        assertThat(engine.docker("images", "-q", "keel-test/absent")).isBlank();
    }

    @Test
    void anUnsupportedNetworkIsALaunchError() {
        ContainerSpec spec = new ContainerSpec(image, List.of(), Map.of(), List.of(), List.of(), false, 0, 0, "bridge",
                Optional.empty(), Duration.ZERO);

        assertThatThrownBy(() -> containers.launcher("net.service", "h", spec).start(Map.of(), new RecordingSink()))
                .isInstanceOf(LaunchException.class).hasMessageContaining("Network=bridge");
    }

    @Test
    void memoryAndCpuLimitsAndHostNetworkAreSet() throws Exception {
        ContainerSpec spec = new ContainerSpec(image, List.of("sleep", "600"), Map.of(), List.of(), List.of(), true,
                64L << 20, 500, ContainerSpec.NETWORK_HOST, Optional.empty(), Duration.ZERO);
        RunningProcess process = start("limits.service", spec, Map.of(), new RecordingSink());

        assertThat(engine.docker("inspect", "-f",
                "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.NetworkMode}} {{.HostConfig.ReadonlyRootfs}}",
                process.id()).strip()).isEqualTo((64L << 20) + " 500000000 host true");
    }

    @Test
    void theHealthCheckRunsAndIsReported() throws Exception {
        ContainerSpec healthy = new ContainerSpec(image, List.of("sleep", "600"), Map.of(), List.of(), List.of(), false,
                0, 0, ContainerSpec.NETWORK_NONE, Optional.of("test -e /bin/sh"), Duration.ofMillis(200));
        ContainerSpec unhealthy = new ContainerSpec(image, List.of("sleep", "600"), Map.of(), List.of(), List.of(),
                false, 0, 0, ContainerSpec.NETWORK_NONE, Optional.of("exit 1"), Duration.ofMillis(200));
        RunningProcess good = start("healthy.service", healthy, Map.of(), new RecordingSink());
        RunningProcess bad = start("unhealthy.service", unhealthy, Map.of(), new RecordingSink());
        RunningProcess none = start("nohealth.service", spec(List.of("sleep", "600")), Map.of(), new RecordingSink());

        Await.until(TIMEOUT, "the health check passes",
                () -> containers.health(good.id()).equals(Optional.of("healthy")));
        Await.until(TIMEOUT, "the health check fails",
                () -> containers.health(bad.id()).equals(Optional.of("unhealthy")));
        assertThat(containers.health(none.id())).isEmpty();
    }

    @Test
    void cleanupRemovesTheContainerAndIsIdempotent() throws Exception {
        RunningProcess process = start("cleanup.service", spec(List.of("true")), Map.of(), new RecordingSink());
        exit(process);
        assertThat(list()).hasSize(1);

        process.cleanup();
        process.cleanup();

        assertThat(list()).isEmpty();
        process.signal(Signal.TERM);
    }

    @Test
    void removeStopsAndRemovesARunningContainer() throws Exception {
        RunningProcess process = start("remove.service", spec(List.of("sleep", "600")), Map.of(), new RecordingSink());
        String id = list().getFirst().id();

        containers.remove(id);
        containers.remove(id);

        assertThat(list()).isEmpty();
        assertThat(process.exit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
    }

    private RunningProcess start(String unit, ContainerSpec spec, Map<String, String> env, RecordingSink sink)
            throws LaunchException {
        return containers.launcher(unit, "hash-1", spec).start(env, sink);
    }

    private List<ManagedContainer> list() {
        return containers.list();
    }

    private static Exit exit(RunningProcess process) throws Exception {
        return process.exit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static ContainerSpec spec(List<String> exec) {
        return spec(exec, false, List.of(), List.of(), 0, 0);
    }

    private static ContainerSpec spec(List<String> exec, boolean readOnly, List<String> volumes, List<String> tmpfs,
            long memory, long cpuMillis) {
        return new ContainerSpec(image, exec, Map.of(), volumes, tmpfs, readOnly, memory, cpuMillis,
                ContainerSpec.NETWORK_NONE, Optional.empty(), Duration.ZERO);
    }
}
