package io.keel.agent.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.agent.runtime.exec.ExecLauncher;
import io.keel.agent.runtime.exec.ExecMainLauncher;
import io.keel.agent.service.ServiceSpec;
import io.keel.agent.supervise.Fakes.RecordingSink;
import io.keel.cluster.unit.UnitFile;
import io.keel.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real host processes started through {@link ExecLauncher}. */
class UnitSupervisorProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final ExecLauncher launcher = new ExecLauncher();
    private final RecordingSink journal = new RecordingSink();
    private UnitSupervisor supervisor;

    @TempDir
    Path dir;

    private UnitSupervisor supervise(String service) {
        ServiceSpec spec = ServiceSpec.parse(UnitFile.parse("[Service]\n" + service));
        supervisor = new UnitSupervisor("t.service", spec, ExecMainLauncher.of("t.service", spec, launcher), launcher,
                journal, Clock.systemUTC(), executor, s -> { });
        return supervisor;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (supervisor != null) {
            supervisor.close().get(30, TimeUnit.SECONDS);
        }
        executor.shutdownNow();
    }

    private void awaitState(UnitSupervisor s, String active, String sub) {
        Await.until(WAIT, "t.service is " + active + "/" + sub,
                () -> s.status().activeState().equals(active) && s.status().subState().equals(sub));
    }

    @Test
    void outputEnvironmentFileAndWorkingDirectoryApply() throws Exception {
        Path env = Files.writeString(dir.resolve("t.env"), "# settings\nGREETING=\"hello there\"\n");
        Path work = Files.createDirectory(dir.resolve("work"));
        UnitSupervisor s = supervise("ExecStartPre=/bin/sh -c 'echo pre $GREETING'\n"
                + "ExecStart=/bin/sh -c 'echo \"$GREETING from $(pwd)\"; echo to-stderr >&2; exec sleep 1000'\n"
                + "EnvironmentFile=" + env + "\nEnvironmentFile=-" + dir.resolve("missing.env") + "\n"
                + "WorkingDirectory=" + work + "\n");
        s.start();
        awaitState(s, "active", "running");
        Await.until(WAIT, "output reaches the journal", () -> journal.lines.size() >= 3);
        assertThat(journal.lines).containsExactlyInAnyOrder("pre hello there", "hello there from " + work.toRealPath(),
                "err: to-stderr");
        s.stop();
        awaitState(s, "inactive", "dead");
        assertThat(s.status().result()).isEqualTo("success");
        assertThat(journal.agent).contains("Starting t.service...", "Started t.service.", "Stopped t.service.");
    }

    @Test
    void aClassicDockerRunUnitRunsItsContainerAndStopsIt() throws Exception {
        io.keel.testkit.docker.DockerEngine docker = io.keel.testkit.docker.DockerEngine.shared();
        String name = "keel-classic-" + ProcessHandle.current().pid();
        UnitSupervisor s = supervise("Environment=DOCKER_HOST=" + docker.dockerHost() + "\n"
                + "ExecStartPre=-/usr/bin/docker rm -f " + name + "\n"
                + "ExecStart=/usr/bin/docker run --rm --name " + name + " --network none " + docker.busyboxImage()
                + " /bin/sh -c \"trap 'exit 0' TERM; echo classic up; while true; do sleep 1; done\"\n"
                + "ExecStop=/usr/bin/docker stop -t 5 " + name + "\n"
                + "TimeoutStopSec=30\n");
        s.start();
        awaitState(s, "active", "running");
        Await.until(WAIT, "the container's output reaches the journal", () -> journal.lines.contains("classic up"));
        assertThat(docker.docker("ps", "-q", "--filter", "name=" + name).strip()).isNotEmpty();
        s.stop();
        awaitState(s, "inactive", "dead");
        assertThat(docker.docker("ps", "-aq", "--filter", "name=" + name).strip()).as("--rm removed it").isEmpty();
    }

    @Test
    void missingEnvironmentFileFailsTheStart() {
        UnitSupervisor s = supervise("ExecStart=/bin/sleep 1000\nEnvironmentFile=" + dir.resolve("none.env") + "\n");
        s.start();
        awaitState(s, "failed", "failed");
        assertThat(s.status().result()).isEqualTo("resources");
        assertThat(s.status().message()).contains("none.env").contains("No such file");
    }

    @Test
    void processIgnoringSigtermIsKilledAfterTimeoutStopSec() {
        UnitSupervisor s = supervise("ExecStart=/bin/sh -c 'trap \"\" TERM; echo ready; while :; do sleep 0.1; done'\n"
                + "TimeoutStopSec=1\n");
        s.start();
        awaitState(s, "active", "running");
        Await.until(WAIT, "the trap is set", () -> journal.lines.contains("ready"));
        long stopAt = System.nanoTime();
        s.stop();
        awaitState(s, "deactivating", "stop-sigterm");
        awaitState(s, "failed", "failed");
        assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(s.status().result()).isEqualTo("timeout");
        assertThat(s.status().lastExit().orElseThrow().signal()).isEqualTo(9);
        assertThat(journal.agent).contains("t.service: State 'stop-sigterm' timed out. Killing.");
    }

    @Test
    void crashLoopHitsTheStartLimitAndStaysFailed() {
        UnitSupervisor s = supervise("ExecStart=/bin/sh -c 'echo crash; exit 1'\nRestart=always\nRestartSec=50ms\n"
                + "StartLimitIntervalSec=60\nStartLimitBurst=3\n");
        s.start();
        awaitState(s, "failed", "failed");
        assertThat(s.status().result()).isEqualTo("start-limit-hit");
        assertThat(s.status().restarts()).isEqualTo(3);
        Await.until(WAIT, "three runs' output", () -> journal.lines.size() == 3);
        assertThat(journal.lines).containsOnly("crash");
        assertThat(journal.agent).contains("t.service: Start request repeated too quickly.");
    }

    @Test
    void missingProgramFailsWithItsName() {
        UnitSupervisor s = supervise("ExecStart=/bin/nope\n");
        s.start();
        awaitState(s, "failed", "failed");
        assertThat(s.status().message()).isEqualTo("ExecStart: /bin/nope: No such file or directory");
    }
}
