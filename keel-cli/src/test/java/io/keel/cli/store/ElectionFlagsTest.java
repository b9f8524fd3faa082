package io.keel.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cli.KeelInProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --election-timeout} and {@code --heartbeat-interval} are refused by etcd's rules, in etcd's words. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ElectionFlagsTest {
  @TempDir Path dir;

  @Test
  void anElectionTimeoutShorterThanFiveHeartbeatsIsRefusedBeforeAnythingStarts() {
    var result = store("--election-timeout", "400", "--heartbeat-interval", "100");

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains(
        "--election-timeout[400ms] should be at least as 5 times as --heartbeat-interval[100ms]");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void anElectionTimeoutOverFiftySecondsIsRefused() {
    var result = store("--election-timeout", "50001");

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr())
        .contains("--election-timeout[50001ms] is too long, and should be set less than 50000ms");
  }

  @Test
  void aHeartbeatIntervalThatIsNotPositiveIsRefused() {
    var result = store("--heartbeat-interval", "0");

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("--heartbeat-interval must be positive, not 0");
  }

  @Test
  void anElectionTimeoutThatIsNotANumberIsRefusedNamingTheFlag() {
    var result = store("--election-timeout", "1s");

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("--election-timeout").contains("'1s'");
    assertThat(Files.exists(dir.resolve("data"))).isFalse();
  }

  private KeelInProcess.Result store(String... flags) {
    return KeelInProcess.store(dir.resolve("data"), flags);
  }
}
