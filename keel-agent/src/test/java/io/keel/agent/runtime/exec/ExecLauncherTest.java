package io.keel.agent.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.agent.runtime.Exit;
import io.keel.agent.runtime.LaunchException;
import io.keel.agent.runtime.OutputSink;
import io.keel.agent.runtime.ProcessSpec;
import io.keel.agent.runtime.RunningProcess;
import io.keel.agent.runtime.Signal;
import io.keel.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecLauncherTest {

    private final ExecLauncher launcher = new ExecLauncher();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final OutputSink sink = new OutputSink() {
        @Override
        public void line(boolean stderr, String line) {
            lines.add((stderr ? "err:" : "out:") + line);
        }

        @Override
        public void agent(String message) {
        }
    };

    private RunningProcess sh(String script) throws LaunchException {
        return launcher.launch(new ProcessSpec("t.service", List.of("sh", "-c", script),
                Map.of("PATH", HostEnvironment.DEFAULT_PATH, "X", "42"), null, sink));
    }

    @Test
    void outputAndExitCode() throws Exception {
        RunningProcess p = sh("echo hello $X; echo oops >&2; printf tail; exit 3");
        assertThat(p.exit().get(10, TimeUnit.SECONDS)).isEqualTo(Exit.ofCode(3));
        assertThat(lines).containsExactlyInAnyOrder("out:hello 42", "err:oops", "out:tail");
        assertThat(p.id()).matches("[0-9]+");
    }

    @Test
    void theMachineEnvironmentIsBelowTheUnitsOwn() throws Exception {
        RunningProcess p = launcher.withMachineEnvironment(Map.of("DOCKER_HOST", "unix:///engine.sock", "X", "machine"))
                .launch(new ProcessSpec("t.service", List.of("sh", "-c", "echo $DOCKER_HOST $X"),
                        Map.of("PATH", HostEnvironment.DEFAULT_PATH, "X", "42"), null, sink));
        assertThat(p.exit().get(10, TimeUnit.SECONDS)).isEqualTo(Exit.ofCode(0));
        assertThat(lines).containsExactly("out:unix:///engine.sock 42");
    }

    @Test
    void longLinesAreCut() throws Exception {
        RunningProcess p = sh("head -c 20000 /dev/zero | tr '\\0' a; echo");
        p.exit().get(10, TimeUnit.SECONDS);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).hasSize(4 + LinePump.MAX_LINE);
        assertThat(lines.stream().mapToInt(l -> l.length() - 4).sum()).isEqualTo(20000);
    }

    @Test
    void signalReachesTheWholeGroupAndIsReportedAsASignal() throws Exception {
        RunningProcess p = sh("sleep 1000 & echo child $!; wait");
        Await.until(Duration.ofSeconds(10), "the child is started", () -> !lines.isEmpty());
        long child = Long.parseLong(lines.get(0).substring("out:child ".length()));
        p.signal(Signal.TERM);
        assertThat(p.exit().get(10, TimeUnit.SECONDS)).isEqualTo(Exit.ofSignal(15));
        Await.until(Duration.ofSeconds(10), "the child is gone",
                () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
        p.signal(Signal.KILL);
    }

    @Test
    void whatAUnitPrintsWhileStoppingIsKept() throws Exception {
        assertStopOutputKept(launcher);
    }

    /** Without kill(1) the signal goes through ProcessHandle, which must leave the pipes open. */
    @Test
    void whatAUnitPrintsWhileStoppingIsKeptWithoutKill() throws Exception {
        String setsid = ExecLauncher.find("setsid", HostEnvironment.DEFAULT_PATH).orElseThrow();
        assertStopOutputKept(new ExecLauncher(setsid, null));
    }

    private void assertStopOutputKept(ExecLauncher chosen) throws Exception {
        RunningProcess p = chosen.launch(new ProcessSpec("t.service", List.of("sh", "-c",
                "trap 'echo stopping; echo bye >&2; exit 0' TERM; echo ready; while :; do sleep 0.1; done"),
                Map.of("PATH", HostEnvironment.DEFAULT_PATH), null, sink));
        Await.until(Duration.ofSeconds(10), "the unit is ready", () -> lines.contains("out:ready"));
        p.signal(Signal.TERM);
        assertThat(p.exit().get(10, TimeUnit.SECONDS)).isEqualTo(Exit.ofCode(0));
        assertThat(lines).contains("out:ready", "out:stopping", "err:bye");
    }

    @Test
    void ownProcessGroup() throws Exception {
        assertThat(launcher.isolatesGroups()).as("setsid (util-linux) is on the PATH").isTrue();
        RunningProcess p = sh("ps -o pgid= -p $$ | tr -d ' '");
        p.exit().get(10, TimeUnit.SECONDS);
        assertThat(lines).containsExactly("out:" + p.id());
    }

    @Test
    void highExitCodeWithoutOurSignalStaysACode() throws Exception {
        assertThat(sh("exit 143").exit().get(10, TimeUnit.SECONDS)).isEqualTo(Exit.ofCode(143));
    }

    @Test
    void cleanupKillsLeftoverGroupMembers() throws Exception {
        assertThat(launcher.isolatesGroups()).as("setsid (util-linux) is on the PATH").isTrue();
        RunningProcess p = sh("sleep 1000 >/dev/null 2>&1 & echo $!");
        p.exit().get(10, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(10), "pid printed", () -> !lines.isEmpty());
        long orphan = Long.parseLong(lines.get(0).substring(4));
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);
        p.cleanup();
        Await.until(Duration.ofSeconds(10), "the orphan is killed",
                () -> ProcessHandle.of(orphan).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void missingProgramsAreNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> launcher.launch(new ProcessSpec("t", List.of("/bin/nope"), Map.of(), null, sink)))
                .isInstanceOf(LaunchException.class).hasMessage("/bin/nope: No such file or directory");
        assertThatThrownBy(() -> launcher.launch(new ProcessSpec("t", List.of("nope-nope"),
                Map.of("PATH", "/bin"), null, sink)))
                .isInstanceOf(LaunchException.class).hasMessageContaining("nope-nope");
        Path notExecutable = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
        assertThatThrownBy(() -> launcher.launch(new ProcessSpec("t", List.of(notExecutable.toString()), Map.of(),
                null, sink))).isInstanceOf(LaunchException.class).hasMessageContaining("Permission denied");
    }

    @Test
    void workingDirectory(@TempDir Path dir) throws Exception {
        RunningProcess p = launcher.launch(new ProcessSpec("t", List.of("pwd"), Map.of(), dir, sink));
        p.exit().get(10, TimeUnit.SECONDS);
        assertThat(lines).containsExactly("out:" + dir.toRealPath());
    }
}
