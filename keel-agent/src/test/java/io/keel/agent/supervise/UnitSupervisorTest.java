package io.keel.agent.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.agent.runtime.Exit;
import io.keel.agent.runtime.LaunchException;
import io.keel.agent.runtime.Signal;
import io.keel.agent.service.ServiceSpec;
import io.keel.agent.supervise.Fakes.FakeLauncher;
import io.keel.agent.supervise.Fakes.FakeMain;
import io.keel.agent.supervise.Fakes.FakeProcess;
import io.keel.agent.supervise.Fakes.RecordingSink;
import io.keel.cluster.unit.UnitFile;
import io.keel.testkit.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UnitSupervisorTest {

    private final ManualScheduler scheduler = new ManualScheduler(java.time.Instant.parse("2024-11-26T02:12:46Z"));
    private final FakeMain main = new FakeMain();
    private final FakeLauncher aux = new FakeLauncher();
    private final RecordingSink journal = new RecordingSink();
    private final List<UnitStatus> transitions = new ArrayList<>();

    private UnitSupervisor supervisor(String service) {
        ServiceSpec spec = ServiceSpec.parse(UnitFile.parse("[Service]\n" + service));
        return new UnitSupervisor("web.service", spec, main, aux, journal, scheduler.clock(), scheduler,
                transitions::add);
    }

    private static String state(UnitSupervisor s) {
        return s.status().activeState() + "/" + s.status().subState();
    }

    @Test
    void simpleServiceRunsThenStopsWithSigterm() {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\nEnvironment=A=1 \"B=two words\"\n");
        s.start();
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("active/running");
        assertThat(s.status().mainId()).contains(main.last().id());
        assertThat(main.lastEnvironment).containsEntry("A", "1").containsEntry("B", "two words");
        assertThat(journal.agent).containsSubsequence("Starting web.service...", "Started web.service.");

        s.stop();
        scheduler.runDue();
        assertThat(main.last().signals).containsExactly(Signal.TERM);
        assertThat(state(s)).isEqualTo("inactive/dead");
        assertThat(s.status().result()).isEqualTo("success");
        assertThat(journal.agent).contains("Stopped web.service.");
        assertThat(transitions).extracting(UnitStatus::subState)
                .containsSubsequence("start", "running", "stop-sigterm", "dead");
    }

    @Test
    void stopTimeoutEscalatesToSigkill() {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\nTimeoutStopSec=5\n");
        s.start();
        scheduler.runDue();
        FakeProcess p = main.last();
        p.diesOn = null;
        s.stop();
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("deactivating/stop-sigterm");
        scheduler.advance(Duration.ofMillis(4999));
        assertThat(p.signals).containsExactly(Signal.TERM);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(p.signals).containsExactly(Signal.TERM, Signal.KILL);
        assertThat(state(s)).isEqualTo("failed/failed");
        assertThat(s.status().result()).isEqualTo("timeout");
        assertThat(journal.agent).contains("web.service: State 'stop-sigterm' timed out. Killing.");
    }

    @Test
    void execStopRunsWithMainPidBeforeSigterm() {
        aux.exits("/bin/ctl", 0);
        UnitSupervisor s = supervisor("ExecStart=/bin/web\nExecStop=/bin/ctl stop $MAINPID\nExecStopPost=/bin/ctl post\n");
        s.start();
        scheduler.runDue();
        String pid = main.last().id();
        s.stop();
        scheduler.runDue();
        assertThat(aux.programs()).containsExactly("/bin/ctl stop " + pid, "/bin/ctl post");
        assertThat(aux.launched.get(0).environment).containsEntry("MAINPID", pid).containsKey("PATH");
        assertThat(aux.launched.get(1).environment).doesNotContainKey("MAINPID");
        assertThat(state(s)).isEqualTo("inactive/dead");
    }

    @Test
    void otherCommandsGetTheUnitsEnvironmentAndMainPidWhileItRuns() {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\nEnvironment=A=1\n");
        s.start();
        scheduler.runDue();
        String pid = main.last().id();
        assertThat(s.commandEnvironment()).containsEntry("MAINPID", pid).containsEntry("A", "1").containsKey("PATH");
        s.stop();
        scheduler.runDue();
        assertThat(s.commandEnvironment()).doesNotContainKey("MAINPID").containsEntry("A", "1");
    }

    @Test
    void execStartPreFailureFailsTheUnit() {
        aux.exits("/bin/false", 1);
        UnitSupervisor s = supervisor("ExecStartPre=/bin/false\nExecStart=/bin/web\n");
        s.start();
        scheduler.runDue();
        assertThat(main.started).isEmpty();
        assertThat(state(s)).isEqualTo("failed/failed");
        assertThat(s.status().result()).isEqualTo("exit-code");
        assertThat(s.status().message()).isEqualTo("ExecStartPre: /bin/false exited, code=exited, status=1/FAILURE");
        assertThat(journal.agent).contains("web.service: Failed with result 'exit-code'.");
    }

    @Test
    void execStartPreFailureIgnoredWithDash() {
        aux.exits("/bin/false", 1).exits("/bin/true", 0);
        UnitSupervisor s = supervisor("ExecStartPre=-/bin/false\nExecStartPre=-/bin/missing\nExecStartPre=/bin/true\n"
                + "ExecStart=/bin/web\n");
        s.start();
        scheduler.runDue();
        assertThat(aux.programs()).containsExactly("/bin/false", "/bin/true");
        assertThat(state(s)).isEqualTo("active/running");
    }

    @Test
    void missingProgramIsAResourcesFailureNamingIt() {
        UnitSupervisor s = supervisor("ExecStartPre=/bin/nope\nExecStart=/bin/web\n");
        s.start();
        scheduler.runDue();
        assertThat(s.status().result()).isEqualTo("resources");
        assertThat(s.status().message()).isEqualTo("ExecStartPre: /bin/nope: No such file or directory");
    }

    @Test
    void mainLaunchFailure() {
        main.failure = new LaunchException("/bin/nope: No such file or directory");
        UnitSupervisor s = supervisor("ExecStart=/bin/nope\n");
        s.start();
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("failed/failed");
        assertThat(s.status().result()).isEqualTo("resources");
        assertThat(s.status().message()).isEqualTo("ExecStart: /bin/nope: No such file or directory");
    }

    @Test
    void startPreTimeout() {
        aux.runsUntilSignalled("/bin/slow");
        UnitSupervisor s = supervisor("ExecStartPre=/bin/slow\nExecStart=/bin/web\nTimeoutStartSec=2s\n");
        s.start();
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("activating/start-pre");
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(aux.launched.get(0).signals).containsExactly(Signal.TERM);
        assertThat(state(s)).isEqualTo("failed/failed");
        assertThat(s.status().result()).isEqualTo("timeout");
        assertThat(main.started).isEmpty();
    }

    @ParameterizedTest(name = "Restart={0} after {1} restarts={2}")
    @CsvSource({
        "no, 0, false", "no, 1, false", "no, TERM, false",
        "always, 0, true", "always, 1, true", "always, KILL, true",
        "on-success, 0, true", "on-success, 1, false", "on-success, TERM, true", "on-success, KILL, false",
        "on-failure, 0, false", "on-failure, 1, true", "on-failure, KILL, true", "on-failure, HUP, false",
        "on-abnormal, 0, false", "on-abnormal, 1, false", "on-abnormal, KILL, true",
        "on-abort, 0, false", "on-abort, 3, false", "on-abort, QUIT, true", "on-abort, PIPE, false"})
    void restartPolicyTable(String policy, String ending, boolean restarts) {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\nRestart=" + policy + "\nRestartSec=2\n");
        s.start();
        scheduler.runDue();
        FakeProcess p = main.last();
        p.exit.complete(ending.chars().allMatch(Character::isDigit) ? Exit.ofCode(Integer.parseInt(ending))
                : Exit.ofSignal(Signal.valueOf(ending).number()));
        scheduler.runDue();
        assertThat(p.cleanups).isPositive();
        if (restarts) {
            assertThat(state(s)).isEqualTo("activating/auto-restart");
            scheduler.advance(Duration.ofSeconds(2));
            assertThat(main.started).hasSize(2);
            assertThat(state(s)).isEqualTo("active/running");
            assertThat(s.status().restarts()).isEqualTo(1);
            assertThat(journal.agent).contains("web.service: Scheduled restart job, restart counter is at 1.");
        } else {
            scheduler.advance(Duration.ofMinutes(1));
            assertThat(main.started).hasSize(1);
            assertThat(s.status().activeState()).isIn("inactive", "failed");
        }
    }

    @Test
    void exitCodeFailureIsReported() {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\n");
        s.start();
        scheduler.runDue();
        main.last().exitWith(1);
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("failed/failed");
        assertThat(s.status().lastExit()).contains(Exit.ofCode(1));
        assertThat(s.status().message()).isEqualTo("Main process exited, code=exited, status=1/FAILURE");
        assertThat(journal.agent).containsSubsequence("web.service: Main process exited, code=exited, status=1/FAILURE",
                "web.service: Failed with result 'exit-code'.");
    }

    @Test
    void crashLoopHitsTheStartLimitAndStaysFailed() {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\nRestart=always\nRestartSec=1\n"
                + "StartLimitIntervalSec=60\nStartLimitBurst=3\n");
        s.start();
        scheduler.runDue();
        for (int i = 0; i < 3; i++) {
            main.last().exitWith(1);
            scheduler.advance(Duration.ofSeconds(1));
        }
        assertThat(main.started).hasSize(3);
        assertThat(state(s)).isEqualTo("failed/failed");
        assertThat(s.status().result()).isEqualTo("start-limit-hit");
        assertThat(s.status().message()).isEqualTo("start request repeated too quickly");
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(main.started).hasSize(3);
        assertThat(scheduler.pendingTimers()).isZero();

        s.start();
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("active/running");
    }

    @Test
    void startLimitWindowSlides() {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\nRestart=always\nRestartSec=10\n"
                + "StartLimitIntervalSec=25\nStartLimitBurst=3\n");
        s.start();
        scheduler.runDue();
        for (int i = 0; i < 6; i++) {
            main.last().exitWith(1);
            scheduler.advance(Duration.ofSeconds(10));
        }
        assertThat(main.started).hasSize(7);
        assertThat(state(s)).isEqualTo("active/running");
    }

    @Test
    void stopDuringAutoRestartCancelsIt() {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\nRestart=always\nRestartSec=5\n");
        s.start();
        scheduler.runDue();
        main.last().exitWith(0);
        scheduler.runDue();
        s.stop();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(main.started).hasSize(1);
        assertThat(state(s)).isEqualTo("inactive/dead");
    }

    @Test
    void oneshotRunsEveryExecStartThenIsDead() {
        aux.exits("/bin/step", 0);
        UnitSupervisor s = supervisor("Type=oneshot\nExecStart=/bin/step 1\nExecStart=/bin/step 2\n");
        s.start();
        scheduler.runDue();
        assertThat(aux.programs()).containsExactly("/bin/step 1", "/bin/step 2");
        assertThat(state(s)).isEqualTo("inactive/dead");
        assertThat(s.status().result()).isEqualTo("success");
        assertThat(journal.agent).contains("Finished web.service.");
        assertThat(transitions).extracting(UnitStatus::subState).contains("start");
    }

    @Test
    void oneshotWaitsInActivatingAndRemainsAfterExit() {
        aux.runsUntilSignalled("/bin/step");
        UnitSupervisor s = supervisor("Type=oneshot\nExecStart=/bin/step\nRemainAfterExit=yes\n");
        s.start();
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("activating/start");
        aux.launched.get(0).exitWith(0);
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("active/exited");
        s.stop();
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("inactive/dead");
    }

    @Test
    void oneshotFailure() {
        aux.exits("/bin/step", 2);
        UnitSupervisor s = supervisor("Type=oneshot\nExecStart=/bin/step\nExecStart=/bin/never\n");
        s.start();
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("failed/failed");
        assertThat(s.status().lastExit()).contains(Exit.ofCode(2));
        assertThat(aux.launched).hasSize(1);
    }

    @Test
    void startPostRunsBeforeActive() {
        aux.runsUntilSignalled("/bin/post");
        UnitSupervisor s = supervisor("ExecStart=/bin/web\nExecStartPost=/bin/post $MAINPID\n");
        s.start();
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("activating/start-post");
        assertThat(aux.programs()).containsExactly("/bin/post " + main.last().id());
        aux.launched.get(0).exitWith(0);
        scheduler.runDue();
        assertThat(state(s)).isEqualTo("active/running");
    }

    @Test
    void reloadRunsExecReloadAndStaysActive() {
        aux.exits("/bin/kill", 0);
        UnitSupervisor s = supervisor("ExecStart=/bin/web\nExecReload=/bin/kill -HUP $MAINPID\n");
        s.start();
        scheduler.runDue();
        s.reload();
        scheduler.runDue();
        assertThat(aux.programs()).containsExactly("/bin/kill -HUP " + main.last().id());
        assertThat(transitions).extracting(UnitStatus::activeState).contains("reloading");
        assertThat(state(s)).isEqualTo("active/running");
        assertThat(journal.agent).contains("Reloaded web.service.");
    }

    @Test
    void restartStopsThenStarts() {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\n");
        s.start();
        scheduler.runDue();
        FakeProcess first = main.last();
        s.restart();
        scheduler.runDue();
        assertThat(first.signals).containsExactly(Signal.TERM);
        assertThat(main.started).hasSize(2);
        assertThat(state(s)).isEqualTo("active/running");
    }

    @Test
    void adoptTakesOverWithoutStartPre() {
        aux.exits("/bin/pre", 0);
        FakeProcess running = new FakeProcess(List.of("main"), java.util.Map.of());
        main.adoptable = Optional.of(running);
        UnitSupervisor s = supervisor("ExecStartPre=/bin/pre\nExecStart=/bin/web\n");
        CompletableFuture<Boolean> adopted = s.adopt();
        scheduler.runDue();
        assertThat(adopted).isCompletedWithValue(true);
        assertThat(state(s)).isEqualTo("active/running");
        assertThat(s.status().mainId()).contains(running.id());
        assertThat(aux.launched).isEmpty();
        assertThat(main.started).isEmpty();
    }

    @Test
    void adoptWithNothingToAdopt() {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\n");
        CompletableFuture<Boolean> adopted = s.adopt();
        scheduler.runDue();
        assertThat(adopted).isCompletedWithValue(false);
        assertThat(state(s)).isEqualTo("inactive/dead");
    }

    @Test
    void closeStopsAndPreventsLaterStarts() {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\nRestart=always\n");
        s.start();
        scheduler.runDue();
        CompletableFuture<Void> closed = s.close();
        scheduler.runDue();
        assertThat(closed).isCompleted();
        s.start();
        scheduler.runDue();
        assertThat(main.started).hasSize(1);
        assertThat(state(s)).isEqualTo("inactive/dead");
    }

    @Test
    void sinceFollowsActiveStateChanges() {
        UnitSupervisor s = supervisor("ExecStart=/bin/web\n");
        s.start();
        scheduler.runDue();
        var started = s.status().since();
        scheduler.advance(Duration.ofSeconds(30));
        s.stop();
        scheduler.runDue();
        assertThat(Duration.between(started, s.status().since())).isEqualTo(Duration.ofSeconds(30));
    }
}
