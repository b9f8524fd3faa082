package io.keel.cli.aot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run the launcher records its JVM cache from, in this JVM: one member, then three
 * that lose their leader and take it back by snapshot installation, every answer checked.
 */
class AotTrainingTest {
  @TempDir
  Path scratch;

  @Test
  void everyPhaseAnswersItsWholeCheckedWorkload() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long requests = new AotTraining(scratch, 1, new PrintStream(out, true, StandardCharsets.UTF_8))
        .run();

    String progress = out.toString(StandardCharsets.UTF_8);
    assertThat(progress).contains("single member answered", "three members answered");
    for (String phase : new String[] {"single", "cluster", "failover", "rejoined"}) {
      assertThat(progress).contains("/training/" + phase + "/compare-and-swaps: 402 requests",
          "/training/" + phase + "/watch: 202 requests");
    }
    assertThat(requests).isGreaterThan(4 * 5_000);
  }

  @Test
  void aScaleBelowOneIsRefused() {
    assertThatThrownBy(() -> new AotTraining(scratch, 0, System.out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scale must be at least 1, not 0");
  }
}
