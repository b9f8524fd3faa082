package io.keel.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RevisionLogTest {
  private static List<Event> eventsOf(long revision) {
    KeyValue kv = new KeyValue(Bytes.of("k" + revision), revision, revision, 1, Bytes.of("v"), 0);
    return List.of(new Event(Event.Type.PUT, kv, null));
  }

  /** A log holding revisions 2 (the first a store writes) to {@code last}. */
  private static RevisionLog filledUpTo(long last) {
    RevisionLog log = new RevisionLog();
    for (long rev = 2; rev <= last; rev++) {
      log.put(rev, eventsOf(rev));
    }
    return log;
  }

  @Test
  void findsEveryRevisionAcrossChunks() {
    RevisionLog log = filledUpTo(10_000);
    assertThat(log.get(2)).isEqualTo(eventsOf(2));
    assertThat(log.get(4095)).isEqualTo(eventsOf(4095));
    assertThat(log.get(4096)).isEqualTo(eventsOf(4096));
    assertThat(log.get(10_000)).isEqualTo(eventsOf(10_000));
    assertThat(log.get(1)).isNull();
    assertThat(log.get(10_001)).isNull();
    assertThat(log.get(-5)).isNull();
  }

  @Test
  void dropsWholeChunksAndThePartOfAChunkBelowTheCut() {
    RevisionLog log = filledUpTo(10_000);
    log.dropBelow(9_000);
    assertThat(log.get(2)).isNull();
    assertThat(log.get(8_191)).isNull();
    assertThat(log.get(8_999)).isNull();
    assertThat(log.get(9_000)).isEqualTo(eventsOf(9_000));
    log.put(10_001, eventsOf(10_001));
    assertThat(log.get(10_001)).isEqualTo(eventsOf(10_001));
    assertThatThrownBy(() -> log.put(8_000, eventsOf(8_000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8000");
  }

  @Test
  void dropBelowEverythingLeavesRoomForTheNextRevisions() {
    RevisionLog log = filledUpTo(100);
    log.dropBelow(101);
    assertThat(log.get(100)).isNull();
    log.put(101, eventsOf(101));
    assertThat(log.get(101)).isEqualTo(eventsOf(101));
  }

  @Test
  void anEmptyLogStartsAtTheFirstRevisionItIsGivenHoweverLarge() {
    RevisionLog log = new RevisionLog();
    log.put(5_000_000_123L, eventsOf(5_000_000_123L));
    log.put(5_000_000_124L, eventsOf(5_000_000_124L));
    assertThat(log.get(5_000_000_123L)).isEqualTo(eventsOf(5_000_000_123L));
    assertThat(log.get(5_000_000_124L)).isEqualTo(eventsOf(5_000_000_124L));
    log.clear();
    assertThat(log.get(5_000_000_123L)).isNull();
    log.put(2, eventsOf(2));
    assertThat(log.get(2)).isEqualTo(eventsOf(2));
  }
}
