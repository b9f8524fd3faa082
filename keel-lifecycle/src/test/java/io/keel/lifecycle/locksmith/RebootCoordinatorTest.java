package io.keel.lifecycle.locksmith;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.lifecycle.locksmith.RebootCoordinator.State;
import io.keel.testkit.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RebootCoordinatorTest {

    // a Tuesday
    private static final Instant START = Instant.parse("2024-11-26T02:12:46Z");
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));

    private final ManualScheduler scheduler = new ManualScheduler(START);
    private final FakeLock lock = new FakeLock(Semaphore.initial());
    private final List<Instant> reboots = new ArrayList<>();
    private final List<Boolean> heldAtReboot = new ArrayList<>();
    private boolean rebootFails;

    private RebootCoordinator coordinator(Strategy strategy, Optional<RebootWindow> window) {
        RebootCoordinator.Config config = new RebootCoordinator.Config("m1", strategy, window, ZoneOffset.UTC, BACKOFF);
        return new RebootCoordinator(config, lock, () -> {
            reboots.add(scheduler.clock().instant());
            heldAtReboot.add(lock.value.holds("m1"));
            if (rebootFails) {
                throw new IllegalStateException("systemctl reboot exited with status 1");
            }
        }, scheduler.clock(), scheduler);
    }

    @Test
    void etcdLockTakesTheLockThenRebootsAndReleasesWhenHealthy() {
        RebootCoordinator c = coordinator(Strategy.ETCD_LOCK, Optional.empty());
        c.rebootNeeded();
        scheduler.runDue();
        assertThat(reboots).containsExactly(START);
        assertThat(heldAtReboot).containsExactly(true);
        assertThat(c.state()).isEqualTo(State.REBOOTING);

        c.machineHealthy();
        scheduler.runDue();
        assertThat(lock.value).isEqualTo(Semaphore.initial());
        assertThat(c.state()).isEqualTo(State.IDLE);
    }

    @Test
    void neverRebootsWithoutTheLockAndBacksOffWhileItIsFull() {
        lock.value = Semaphore.initial().lock("other");
        RebootCoordinator c = coordinator(Strategy.ETCD_LOCK, Optional.empty());
        c.rebootNeeded();
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(reboots).isEmpty();
        assertThat(c.state()).isEqualTo(State.WAITING_FOR_LOCK);
        // 1 + 2 + 4 + 8 + 8 ... seconds: 1 initial try + retries at 1, 3, 7, 15, 23, 31, 39, 47, 55 s
        assertThat(lock.calls).isEqualTo(10);

        lock.value = lock.value.unlock("other");
        scheduler.advance(Duration.ofSeconds(8));
        assertThat(reboots).hasSize(1);
        assertThat(heldAtReboot).containsExactly(true);
    }

    @Test
    void anUnreachableStoreMeansNoRebootUntilItAnswers() {
        lock.unreachable = true;
        RebootCoordinator c = coordinator(Strategy.ETCD_LOCK, Optional.empty());
        c.rebootNeeded();
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(reboots).isEmpty();
        assertThat(c.state()).isEqualTo(State.WAITING_FOR_LOCK);
        assertThat(scheduler.pendingTimers()).isEqualTo(1);

        lock.unreachable = false;
        scheduler.advance(BACKOFF.max());
        assertThat(reboots).hasSize(1);
        assertThat(heldAtReboot).containsExactly(true);
    }

    @Test
    void waitsForTheWindowBeforeTakingTheLock() {
        RebootCoordinator c = coordinator(Strategy.ETCD_LOCK, Optional.of(RebootWindow.parse("Thu 04:00", "1h")));
        c.rebootNeeded();
        scheduler.runDue();
        assertThat(c.state()).isEqualTo(State.WAITING_FOR_WINDOW);
        assertThat(lock.calls).isZero();

        scheduler.advance(Duration.between(START, Instant.parse("2024-11-28T03:59:59Z")));
        assertThat(reboots).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(reboots).containsExactly(Instant.parse("2024-11-28T04:00:00Z"));
    }

    @Test
    void whenTheWindowClosesWhileWaitingForTheLockItWaitsForTheNextOne() {
        lock.value = Semaphore.initial().lock("other");
        scheduler.advance(Duration.between(START, Instant.parse("2024-11-28T04:00:00Z")));
        RebootCoordinator c = coordinator(Strategy.ETCD_LOCK, Optional.of(RebootWindow.parse("Thu 04:00", "1h")));
        c.rebootNeeded();
        scheduler.advance(Duration.ofMinutes(61));
        assertThat(c.state()).isEqualTo(State.WAITING_FOR_WINDOW);
        lock.value = lock.value.unlock("other");
        scheduler.advance(Duration.ofDays(6));
        assertThat(reboots).isEmpty();
        scheduler.advance(Duration.ofDays(1));
        assertThat(reboots).containsExactly(Instant.parse("2024-12-05T04:00:00Z"));
    }

    @Test
    void rebootStrategyRebootsInTheWindowWithoutTheLock() {
        lock.value = Semaphore.initial().lock("other");
        RebootCoordinator c = coordinator(Strategy.REBOOT, Optional.of(RebootWindow.parse("03:00", "30m")));
        c.rebootNeeded();
        scheduler.advance(Duration.ofMinutes(46));
        assertThat(reboots).isEmpty();
        scheduler.advance(Duration.ofMinutes(2));
        assertThat(reboots).containsExactly(Instant.parse("2024-11-26T03:00:00Z"));
        assertThat(lock.calls).isZero();
    }

    @Test
    void offNeverReboots() {
        RebootCoordinator c = coordinator(Strategy.OFF, Optional.empty());
        c.rebootNeeded();
        scheduler.advance(Duration.ofDays(30));
        assertThat(reboots).isEmpty();
        assertThat(lock.calls).isZero();
        assertThat(c.state()).isEqualTo(State.IDLE);
    }

    @Test
    void aFailedRebootReleasesTheLockAndTriesAgain() {
        rebootFails = true;
        RebootCoordinator c = coordinator(Strategy.ETCD_LOCK, Optional.empty());
        c.rebootNeeded();
        scheduler.runDue();
        assertThat(reboots).hasSize(1);
        assertThat(lock.value.holders()).isEmpty();

        rebootFails = false;
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(reboots).hasSize(2);
        assertThat(heldAtReboot).containsExactly(true, true);
        assertThat(lock.value.holders()).containsExactly("m1");
    }

    @Test
    void releaseRetriesUntilTheStoreAnswers() {
        lock.value = Semaphore.initial().lock("m1");
        lock.unreachable = true;
        RebootCoordinator c = coordinator(Strategy.ETCD_LOCK, Optional.empty());
        c.machineHealthy();
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(c.state()).isEqualTo(State.RELEASING);
        lock.unreachable = false;
        scheduler.advance(BACKOFF.max());
        assertThat(c.state()).isEqualTo(State.IDLE);
        assertThat(lock.value.holders()).isEmpty();
    }

    @Test
    void closeStopsEverything() {
        lock.unreachable = true;
        RebootCoordinator c = coordinator(Strategy.ETCD_LOCK, Optional.empty());
        c.rebootNeeded();
        scheduler.runDue();
        c.close();
        lock.unreachable = false;
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(reboots).isEmpty();
        assertThat(c.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void backoffIsCapped() {
        assertThat(BACKOFF.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(BACKOFF.delay(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(BACKOFF.delay(100)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void strategiesParseLocksmithsNames() {
        assertThat(Strategy.parse("etcd-lock")).isEqualTo(Strategy.ETCD_LOCK);
        assertThat(Strategy.parse("best-effort")).isEqualTo(Strategy.ETCD_LOCK);
        assertThat(Strategy.parse("REBOOT")).isEqualTo(Strategy.REBOOT);
        assertThat(Strategy.parse("off")).isEqualTo(Strategy.OFF);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Strategy.parse("sometimes"))
                .hasMessageContaining("reboot strategy 'sometimes' is unknown");
    }
}
