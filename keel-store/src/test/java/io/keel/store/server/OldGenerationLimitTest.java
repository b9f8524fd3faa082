package io.keel.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OldGenerationLimitTest {
  private static final long MIB = 1 << 20;

  /** An old generation whose collection leaves {@code survivors} bytes, when the JVM obliges. */
  private static final class FakeOld implements OldGenerationLimit.OldGeneration {
    long used;
    long survived;
    long survivors;
    long collections;
    boolean obliges = true;
    int asked;

    @Override
    public long used() {
      return used;
    }

    @Override
    public long usedAfterLastCollection() {
      return survived;
    }

    @Override
    public long collections() {
      return collections;
    }

    @Override
    public void collect() {
      asked++;
      if (obliges) {
        collections++;
        used = survivors;
        survived = survivors;
      }
    }
  }

  private final FakeOld old = new FakeOld();
  private final AtomicLong released = new AtomicLong();

  @Test
  void dueOnceTheReleasedBytesReachWhatSurvivedAndTheMinimum() {
    assertThat(OldGenerationLimit.due(64 * MIB - 1, 0)).isFalse();
    assertThat(OldGenerationLimit.due(64 * MIB, 0)).isTrue();
    assertThat(OldGenerationLimit.due(64 * MIB, 10 * MIB)).isTrue();
    assertThat(OldGenerationLimit.due(199 * MIB, 200 * MIB)).isFalse();
    assertThat(OldGenerationLimit.due(200 * MIB, 200 * MIB)).isTrue();
  }

  @Test
  void aStoreThatReleasesNothingIsNeverCollectedHoweverLargeItGrows() {
    var limit = new OldGenerationLimit(old, released::get, 0, System::nanoTime);
    old.used = 4096 * MIB;
    for (int i = 0; i < 10; i++) {
      limit.run();
    }
    assertThat(old.asked).isZero();
  }

  @Test
  void collectsOnceEnoughWasReleasedSinceTheLastCollection() {
    released.set(500 * MIB);  // released before this limit started: not counted
    old.survived = 100 * MIB;
    old.survivors = 80 * MIB;
    var limit = new OldGenerationLimit(old, released::get, 0, System::nanoTime);
    released.addAndGet(99 * MIB);
    limit.run();
    assertThat(old.asked).isZero();
    released.addAndGet(1 * MIB);
    limit.run();
    assertThat(old.asked).isEqualTo(1);
    // counted again from this collection, against the 80 MiB that survived it
    released.addAndGet(79 * MIB);
    limit.run();
    assertThat(old.asked).isEqualTo(1);
    released.addAndGet(1 * MIB);
    limit.run();
    assertThat(old.asked).isEqualTo(2);
  }

  @Test
  void aMemberWaitsItsTurnOfChecksOnceDue() {
    var limit = new OldGenerationLimit(old, released::get, 2, System::nanoTime);
    released.set(64 * MIB);
    limit.run();
    limit.run();
    assertThat(old.asked).isZero();
    limit.run();
    assertThat(old.asked).isEqualTo(1);
  }

  @Test
  void stopsAskingOnceTheJvmRefusesToCollect() {
    old.obliges = false;
    var limit = new OldGenerationLimit(old, released::get, 0, System::nanoTime);
    released.set(640 * MIB);
    limit.run();
    limit.run();
    limit.run();
    assertThat(old.asked).isEqualTo(1);
  }

  @Test
  void findsTheSerialCollectorsOldGenerationOnlyUnderIt() {
    boolean serial = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .anyMatch(c -> c.getName().equals("MarkSweepCompact"));
    assertThat(OldGenerationLimit.serial().isPresent()).isEqualTo(serial);
  }
}
