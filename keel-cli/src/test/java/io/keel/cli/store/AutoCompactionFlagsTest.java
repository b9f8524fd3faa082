package io.keel.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cli.KeelInProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bad {@code --auto-compaction-*} values are refused before anything starts, naming the flag. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AutoCompactionFlagsTest {
  @TempDir Path dir;

  @Test
  void anUnknownModeIsRefused() {
    var result = store("--auto-compaction-mode", "daily", "--auto-compaction-retention", "1");

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("unknown --auto-compaction-mode 'daily'");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aPeriodicRetentionThatIsNeitherHoursNorADurationIsRefused() {
    var result = store("--auto-compaction-retention", "abc");

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("--auto-compaction-retention: 'abc' is neither");
  }

  @Test
  void aNegativeRetentionIsRefused() {
    var result = store("--auto-compaction-retention", "-1");

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("--auto-compaction-retention: '-1'");
  }

  @Test
  void aRevisionRetentionMustBeAWholeNumber() {
    var result = store("--auto-compaction-mode", "revision", "--auto-compaction-retention", "10m");

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr())
        .contains("--auto-compaction-retention: '10m' is not a whole number of revisions");
  }

  private KeelInProcess.Result store(String... flags) {
    return KeelInProcess.store(dir.resolve("data"), flags);
  }
}
