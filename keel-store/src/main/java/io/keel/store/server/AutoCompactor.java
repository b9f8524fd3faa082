package io.keel.store.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd 3.4's auto-compactor, ticked every {@link AutoCompaction#tickInterval()} on one thread.
 * Only the leader compacts; a compaction goes through Raft as a client's would.
 *
 * <p>Periodic mode samples the current revision every tick, keeping the samples of one period;
 * once a period has passed since the start (later, once per compact interval since the last
 * success) it compacts at the oldest sample, the revision of a period ago. Revision mode compacts
 * at {@code current - retention} when that is positive and has moved since the last success. An
 * "already compacted" answer counts as a success, as in etcd.
 */
public final class AutoCompactor implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoCompactor.class);

  /** Compacts the store at a revision; completes normally also if it was compacted already. */
  public interface Compaction {
    CompletableFuture<Void> compact(long revision);
  }

  private final AutoCompaction policy;
  private final Clock clock;
  private final LongSupplier currentRevision;
  private final BooleanSupplier isLeader;
  private final Compaction compaction;
  private final ArrayDeque<Long> samples = new ArrayDeque<>();
  private final AtomicBoolean compacting = new AtomicBoolean();
  private volatile Instant lastSuccess;
  private volatile long lastCompacted;
  private Duration wait;

  public AutoCompactor(AutoCompaction policy, Clock clock, LongSupplier currentRevision,
      BooleanSupplier isLeader, Compaction compaction) {
    if (policy.mode() == AutoCompaction.Mode.OFF) {
      throw new IllegalArgumentException("auto-compaction is off");
    }
    this.policy = policy;
    this.clock = clock;
    this.currentRevision = currentRevision;
    this.isLeader = isLeader;
    this.compaction = compaction;
    this.lastSuccess = clock.instant();
    this.wait = policy.period();
  }

  @Override
  public void run() {
    if (policy.mode() == AutoCompaction.Mode.PERIODIC) {
      samples.addLast(currentRevision.getAsLong());
      while (samples.size() > policy.samplesKept()) {
        samples.removeFirst();
      }
    }
    if (!isLeader.getAsBoolean() || compacting.get()) {
      return;
    }
    long revision;
    if (policy.mode() == AutoCompaction.Mode.PERIODIC) {
      if (Duration.between(lastSuccess, clock.instant()).compareTo(wait) < 0) {
        return;
      }
      wait = policy.compactInterval();
      revision = samples.getFirst();
    } else {
      revision = currentRevision.getAsLong() - policy.revisions();
      if (revision <= 0 || revision == lastCompacted) {
        return;
      }
    }
    compact(revision);
  }

  private void compact(long revision) {
    compacting.set(true);
    LOG.info("Starting auto-compaction at revision {} (retention: {})", revision,
        policy.describe());
    CompletableFuture<Void> done;
    try {
      done = compaction.compact(revision);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.whenComplete((r, error) -> {
      if (error == null) {
        lastSuccess = clock.instant();
        lastCompacted = revision;
        LOG.info("Finished auto-compaction at revision {}", revision);
      } else {
        LOG.warn("Failed auto-compaction at revision {} ({}); retrying in {}", revision,
            error.toString(), policy.tickInterval());
      }
      compacting.set(false);
    });
  }
}
