package io.keel.store.server;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the serial collector's old generation once the store has let go of (compacted, or
 * replaced by a snapshot) at least as many bytes of versions as survived that generation's last
 * collection, and at least {@link #MIN_RELEASED_BYTES}: the collection then frees about as much
 * as it keeps, for a pause that grows with what it keeps.
 *
 * <p>The serial collector alone never collects the old generation before it fills the JVM's
 * maximum heap (a quarter of the machine's memory by default), and a store promotes every
 * version it keeps: a member whose keys were overwritten and compacted kept every dead version,
 * 70 MiB more per 100,000 puts. A store that only grows releases nothing and is left alone, with
 * no pauses. Members of a cluster compact at the same entry, so each waits its own number of
 * checks ({@code waitChecks}) before it collects: their pauses come one after the other, never
 * all at once. Run periodically; does nothing under other collectors, which collect their old
 * generation themselves.
 */
final class OldGenerationLimit implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(OldGenerationLimit.class);
  static final long MIN_RELEASED_BYTES = 64L << 20;
  private static final String SERIAL_OLD_POOL = "Tenured Gen";
  private static final String SERIAL_OLD_COLLECTOR = "MarkSweepCompact";

  /** The old generation, as the collector reports it. */
  interface OldGeneration {
    long used();

    /** Bytes in use right after its last collection; 0 before the first. */
    long usedAfterLastCollection();

    /** How many times it has been collected. */
    long collections();

    /** Collects it now, returning once done. */
    void collect();
  }

  private final OldGeneration old;
  private final LongSupplier releasedBytes;
  private final int waitChecks;
  private final LongSupplier nanoTime;
  private long releasedAtLastCollection;
  private int checksDue;
  private boolean refused;

  /**
   * @param releasedBytes the store's released bytes so far ({@code MvccStore::releasedBytes})
   * @param waitChecks how many more checks a collection waits once it is due
   */
  OldGenerationLimit(OldGeneration old, LongSupplier releasedBytes, int waitChecks,
      LongSupplier nanoTime) {
    this.old = old;
    this.releasedBytes = releasedBytes;
    this.waitChecks = waitChecks;
    this.nanoTime = nanoTime;
    this.releasedAtLastCollection = releasedBytes.getAsLong();
  }

  /** Whether {@code released} bytes since the last collection make the next one worth it. */
  static boolean due(long released, long survived) {
    return released >= Math.max(MIN_RELEASED_BYTES, survived);
  }

  @Override
  public void run() {
    if (refused) {
      return;
    }
    try {
      long released = releasedBytes.getAsLong();
      long survived = old.usedAfterLastCollection();
      if (!due(released - releasedAtLastCollection, survived)) {
        checksDue = 0;
        return;
      }
      if (checksDue++ < waitChecks) {
        return;
      }
      checksDue = 0;
      collect(released - releasedAtLastCollection, survived);
      releasedAtLastCollection = released;
    } catch (RuntimeException e) {
      LOG.warn("checking the old generation failed; trying again at the next check", e);
    }
  }

  private void collect(long released, long survived) {
    long used = old.used();
    long collections = old.collections();
    long start = nanoTime.getAsLong();
    old.collect();
    long millis = (nanoTime.getAsLong() - start) / 1_000_000;
    if (old.collections() == collections) {
      refused = true;
      LOG.warn("the store released {} MiB of versions, but the JVM refused to collect the old "
          + "generation (-XX:+DisableExplicitGC?); it will grow to the maximum heap",
          released >> 20);
      return;
    }
    LOG.info("collected the old generation after the store released {} MiB of versions "
        + "({} MiB survived the last collection): {} MiB before, {} MiB after, in {} ms",
        released >> 20, survived >> 20, used >> 20, old.usedAfterLastCollection() >> 20, millis);
  }

  /** The serial collector's old generation, when this JVM runs it. */
  static Optional<OldGeneration> serial() {
    Optional<MemoryPoolMXBean> pool = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getName().equals(SERIAL_OLD_POOL)).findFirst();
    Optional<GarbageCollectorMXBean> collector = ManagementFactory.getGarbageCollectorMXBeans()
        .stream().filter(c -> c.getName().equals(SERIAL_OLD_COLLECTOR)).findFirst();
    if (pool.isEmpty() || collector.isEmpty()) {
      return Optional.empty();
    }
    MemoryPoolMXBean tenured = pool.get();
    GarbageCollectorMXBean markSweep = collector.get();
    return Optional.of(new OldGeneration() {
      @Override
      public long used() {
        return tenured.getUsage().getUsed();
      }

      @Override
      public long usedAfterLastCollection() {
        var after = tenured.getCollectionUsage();
        return after == null ? 0 : after.getUsed();
      }

      @Override
      public long collections() {
        return markSweep.getCollectionCount();
      }

      @Override
      public void collect() {
        System.gc();
      }
    });
  }
}
