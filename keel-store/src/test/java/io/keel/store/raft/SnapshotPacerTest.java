package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotPacerTest {
  private static final long MS = 1_000_000;

  /** The writer's processor time, advanced by the test. */
  private long cpu;
  private final List<Long> sleeps = new ArrayList<>();

  private SnapshotPacer pacer(double share) {
    return new SnapshotPacer(share, () -> cpu, sleeps::add);
  }

  @Test
  void sleepsThreeTimesItsProcessorTimeAtAQuarterShare() throws Exception {
    SnapshotPacer pacer = pacer(0.25);
    pacer.start();
    cpu += 4 * MS;
    pacer.blockWritten();
    cpu += 2 * MS;
    pacer.blockWritten();
    assertThat(sleeps).containsExactly(12 * MS, 6 * MS);
    assertThat(pacer.cpuSinceStart()).isEqualTo(6 * MS);
  }

  @Test
  void processorTimeBeforeStartDoesNotCount() throws Exception {
    SnapshotPacer pacer = pacer(0.5);
    cpu = 100 * MS;
    pacer.start();
    cpu += 2 * MS;
    pacer.blockWritten();
    assertThat(sleeps).containsExactly(2 * MS);
  }

  @Test
  void sleepsTooShortToTakeAreCarriedToTheNextBlock() throws Exception {
    SnapshotPacer pacer = pacer(0.5);
    pacer.start();
    for (int block = 0; block < 3; block++) {
      cpu += MS * 4 / 10;
      pacer.blockWritten();
    }
    assertThat(sleeps).as("0.4 and 0.8 ms are owed, then 1.2 ms is taken at once")
        .containsExactly(MS * 12 / 10);
  }

  @Test
  void aWholeProcessorNeverSleeps() throws Exception {
    SnapshotPacer pacer = pacer(1);
    pacer.start();
    cpu += 50 * MS;
    pacer.blockWritten();
    assertThat(sleeps).isEmpty();
    assertThat(pacer.pacing()).isFalse();
  }

  @Test
  void aHurriedPacerNoLongerSleeps() throws Exception {
    SnapshotPacer pacer = pacer(0.25);
    pacer.start();
    cpu += 4 * MS;
    pacer.blockWritten();
    pacer.hurry();
    cpu += 4 * MS;
    pacer.blockWritten();
    assertThat(sleeps).containsExactly(12 * MS);
    assertThat(pacer.pacing()).isFalse();
  }

  @Test
  void anInterruptedSleepFailsTheWriteAndKeepsTheInterrupt() {
    SnapshotPacer pacer = new SnapshotPacer(0.25, () -> cpu, nanos -> {
      throw new InterruptedException();
    });
    pacer.start();
    cpu += 4 * MS;
    try {
      assertThatThrownBy(pacer::blockWritten).isInstanceOf(InterruptedIOException.class)
          .hasMessageContaining("snapshot writer interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -0.5, 1.5, Double.NaN})
  void aShareOutsideZeroToOneIsRefused(double share) {
    assertThatThrownBy(() -> pacer(share)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("processor share (-Dkeel.snapshot.cpu-share) must be in (0, 1]");
  }

  @Test
  void theShareComesFromAJvmPropertyThatNamesItselfWhenItIsNotANumber() {
    String before = System.getProperty(SnapshotPacer.SHARE_PROPERTY);
    try {
      System.clearProperty(SnapshotPacer.SHARE_PROPERTY);
      assertThat(SnapshotPacer.configuredShare()).isEqualTo(SnapshotPacer.DEFAULT_SHARE);
      System.setProperty(SnapshotPacer.SHARE_PROPERTY, " 0.5 ");
      assertThat(SnapshotPacer.configuredShare()).isEqualTo(0.5);
      System.setProperty(SnapshotPacer.SHARE_PROPERTY, "half");
      assertThatThrownBy(SnapshotPacer::configuredShare)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("-Dkeel.snapshot.cpu-share must be a number in (0, 1], not \"half\"");
    } finally {
      if (before == null) {
        System.clearProperty(SnapshotPacer.SHARE_PROPERTY);
      } else {
        System.setProperty(SnapshotPacer.SHARE_PROPERTY, before);
      }
    }
  }

  @Test
  void aSnapshotFileIsPacedOncePerBlock(@TempDir Path dir) throws Exception {
    SnapshotPacer pacer = pacer(0.5);
    pacer.start();
    byte[] block = new byte[1 << 20];
    try (SnapshotFileOutput out = SnapshotFileOutput.create(dir.resolve("snap")).pacedBy(pacer)) {
      for (int i = 0; i < 3; i++) {
        out.write(block, 0, block.length);
        cpu += 2 * MS; // filling the next block
      }
      out.write(block, 0, 10);
      out.finish();
    }
    assertThat(sleeps).as("each full block, then the last part one in finish")
        .containsExactly(2 * MS, 2 * MS, 2 * MS);
  }
}
