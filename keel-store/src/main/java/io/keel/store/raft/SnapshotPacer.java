package io.keel.store.raft;

import java.io.InterruptedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * Holds a background snapshot writer to a share of one processor. A snapshot holds the whole
 * state, and written flat out it took one of a small machine's processors for as long as it
 * ran, which the requests in flight then waited for (docs/store.md, "What a snapshot costs a
 * shared machine"). Paced, the writer sleeps after each block for as long as its share asks:
 * {@code cpu × (1 − share) / share} for the processor time it used since it last slept, so a
 * snapshot takes longer from start to end and costs the same processor time.
 *
 * <p>Sleeps shorter than {@link #MIN_SLEEP_NANOS} are carried over to the next block rather than
 * taken, since a timed sleep that short overshoots. {@link #hurry} ends the pacing for good (the
 * member is stopping). One pacer serves a member's snapshots one after another, each from {@link
 * #start}; used by the writer's thread only, except {@link #hurry}.
 */
final class SnapshotPacer {
  /** The JVM property that sets the share; {@link #DEFAULT_SHARE} without it. */
  static final String SHARE_PROPERTY = "keel.snapshot.cpu-share";
  static final double DEFAULT_SHARE = 0.25;
  /** The shortest sleep taken; shorter ones add up until they reach it. */
  static final long MIN_SLEEP_NANOS = 1_000_000;

  /** Sleeps for a while; the writer's thread is interrupted only when the member stops. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final double share;
  private final LongSupplier cpuNanos;
  private final Sleeper sleeper;
  private volatile boolean hurried;
  private long cpuAtStart;
  private long cpuAtLastSleep;

  /**
   * @param share the share of one processor the writer may use, in (0, 1]; 1 never sleeps
   * @param cpuNanos the writer thread's processor time so far, in nanoseconds
   */
  SnapshotPacer(double share, LongSupplier cpuNanos, Sleeper sleeper) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException(
          "a snapshot writer's processor share (-D" + SHARE_PROPERTY + ") must be in (0, 1], not "
          + share);
    }
    this.share = share;
    this.cpuNanos = cpuNanos;
    this.sleeper = sleeper;
  }

  /** The share {@link #SHARE_PROPERTY} sets, checked as the constructor checks it. */
  static double configuredShare() {
    String value = System.getProperty(SHARE_PROPERTY);
    if (value == null) {
      return DEFAULT_SHARE;
    }
    try {
      return Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + SHARE_PROPERTY + " must be a number in (0, 1], not \"" + value + "\"");
    }
  }

  /** Paces the calling thread by its own processor time, sleeping with {@link Thread#sleep}. */
  static SnapshotPacer ofCurrentThread(double share) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return new SnapshotPacer(share, threads::getCurrentThreadCpuTime,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  /** Before a snapshot's first block: its processor time counts from here. */
  void start() {
    cpuAtStart = cpuNanos.getAsLong();
    cpuAtLastSleep = cpuAtStart;
  }

  /** The processor time the writer used since {@link #start}, in nanoseconds. */
  long cpuSinceStart() {
    return cpuNanos.getAsLong() - cpuAtStart;
  }

  /** The share of one processor the writer may use. */
  double share() {
    return share;
  }

  /** After a block: sleeps as long as the processor time since the last sleep asks. */
  void blockWritten() throws InterruptedIOException {
    if (!pacing()) {
      return;
    }
    long now = cpuNanos.getAsLong();
    long rest = (long) ((now - cpuAtLastSleep) * (1 - share) / share);
    if (rest < MIN_SLEEP_NANOS) {
      return;
    }
    try {
      sleeper.sleep(rest);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("snapshot writer interrupted while pacing");
    }
    cpuAtLastSleep = now;
  }

  /** Whether {@link #blockWritten} may still sleep. */
  boolean pacing() {
    return share < 1 && !hurried;
  }

  /** Ends the pacing: from now on the writer runs flat out. Any thread. */
  void hurry() {
    hurried = true;
  }
}
