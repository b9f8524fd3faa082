package io.keel.store.server;

import java.time.Duration;

/**
 * etcd's {@code --auto-compaction-mode} and {@code --auto-compaction-retention}: keep the history
 * of the last {@code period} (periodic mode) or of the last {@code revisions} revisions (revision
 * mode), compacting the rest on the leader. Off by default, as in etcd.
 */
public record AutoCompaction(Mode mode, Duration period, long revisions) {

  /** How the retention is measured. */
  public enum Mode { OFF, PERIODIC, REVISION }

  public static final AutoCompaction OFF = new AutoCompaction(Mode.OFF, Duration.ZERO, 0);
  /** etcd's revision-mode compactor looks every five minutes. */
  static final Duration REVISION_CHECK_INTERVAL = Duration.ofMinutes(5);
  /** Shortest periodic retention taken: its tenth, the sampling interval, is a millisecond. */
  static final Duration SHORTEST_PERIOD = Duration.ofMillis(10);

  public AutoCompaction {
    if (mode == Mode.PERIODIC && period.compareTo(SHORTEST_PERIOD) < 0) {
      throw new IllegalArgumentException("--auto-compaction-retention " + period
          + " is too short for periodic compaction (at least " + SHORTEST_PERIOD.toMillis()
          + "ms, or 0 for none)");
    }
    if (mode == Mode.REVISION && revisions < 1) {
      throw new IllegalArgumentException(
          "--auto-compaction-retention must keep at least 1 revision in revision mode");
    }
  }

  /** Keeps the history of the last {@code retention}; zero turns compaction off. */
  public static AutoCompaction periodic(Duration retention) {
    return retention.isZero() ? OFF : new AutoCompaction(Mode.PERIODIC, retention, 0);
  }

  /** Keeps the last {@code retention} revisions; zero turns compaction off. */
  public static AutoCompaction revisions(long retention) {
    return retention == 0 ? OFF : new AutoCompaction(Mode.REVISION, Duration.ZERO, retention);
  }

  /**
   * How often the compactor looks: in periodic mode a tenth of the period (of an hour at most),
   * when it also samples the current revision; in revision mode every five minutes.
   */
  public Duration tickInterval() {
    return mode == Mode.REVISION ? REVISION_CHECK_INTERVAL : compactInterval().dividedBy(10);
  }

  /** Periodic mode: time between compactions after the first, the period or an hour. */
  Duration compactInterval() {
    return period.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : period;
  }

  /** Periodic mode: how many samples span the period, the oldest being the one to compact at. */
  int samplesKept() {
    return (int) (period.toNanos() / tickInterval().toNanos()) + 1;
  }

  /** The retention as etcd prints it. */
  String describe() {
    if (mode == Mode.REVISION) {
      return revisions + " revisions";
    }
    long ms = period.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
