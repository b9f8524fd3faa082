package io.keel.store.raft;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.util.TimeDuration;

/**
 * Ratis's metric registries, replaced (through {@code META-INF/services}) by ones that record
 * nothing. Keel's own meters ({@code StoreMetrics}) are what {@code /metrics} serves, Ratis never
 * reads its metrics back, and its default registries time every log write, flush and append with
 * codahale timers: 1–3% of a loaded member's CPU for numbers nobody could see.
 *
 * <p>One timer is kept: the log worker's {@code syncTime}, the write and fsync of the Raft log
 * that every acknowledged write waits for, etcd's {@code etcd_disk_wal_fsync_duration_seconds}.
 * Its durations go to the listener registered for the member ({@link #onLogSync}), if any.
 */
public final class SilentRatisMetrics extends MetricRegistries {
  /** Ratis's registry component of a member's log worker, and its timer of log syncs. */
  static final String LOG_WORKER = "log_worker";
  static final String SYNC_TIME = "syncTime";

  /** Each member's log sync listener, by Ratis's member id ({@code peer@group-…}). */
  private static final Map<String, AtomicReference<LongConsumer>> LOG_SYNCS =
      new ConcurrentHashMap<>();

  private static final Timekeeper.Context STOPPED = () -> 0L;
  private static final Timekeeper TIMER = () -> STOPPED;
  private static final LongCounter COUNTER = new LongCounter() {
    @Override
    public void inc(long n) {}

    @Override
    public void dec(long n) {}

    @Override
    public long getCount() {
      return 0;
    }
  };

  /**
   * Tells {@code listener} how long each log sync of member {@code member} took, in nanoseconds,
   * from now on; null stops telling. Ratis may create the member's timer before or after this.
   */
  public static void onLogSync(RaftGroupMemberId member, LongConsumer listener) {
    logSync(member.toString()).set(listener);
  }

  private static AtomicReference<LongConsumer> logSync(String member) {
    return LOG_SYNCS.computeIfAbsent(member, m -> new AtomicReference<>());
  }

  /** A timer whose durations go to a listener that may come and go. */
  private static Timekeeper timerTelling(AtomicReference<LongConsumer> listener) {
    return () -> {
      long start = System.nanoTime();
      return () -> {
        long nanos = System.nanoTime() - start;
        LongConsumer told = listener.get();
        if (told != null) {
          told.accept(nanos);
        }
        return nanos;
      };
    };
  }

  @Override
  public void clear() {}

  @Override
  public RatisMetricRegistry create(MetricRegistryInfo info) {
    return new Registry(info);
  }

  @Override
  public boolean remove(MetricRegistryInfo info) {
    return false;
  }

  @Override
  public Optional<RatisMetricRegistry> get(MetricRegistryInfo info) {
    return Optional.empty();
  }

  @Override
  public Set<MetricRegistryInfo> getMetricRegistryInfos() {
    return Set.of();
  }

  @Override
  public Collection<RatisMetricRegistry> getMetricRegistries() {
    return List.of();
  }

  @Override
  public void addReporterRegistration(
      Consumer<RatisMetricRegistry> onAdd, Consumer<RatisMetricRegistry> onRemove) {}

  @Override
  public void enableJmxReporter() {}

  @Override
  public void enableConsoleReporter(TimeDuration period) {}

  private record Registry(MetricRegistryInfo info) implements RatisMetricRegistry {
    @Override
    public Timekeeper timer(String name) {
      if (LOG_WORKER.equals(info.getMetricsComponentName()) && SYNC_TIME.equals(name)) {
        return timerTelling(logSync(info.getPrefix()));
      }
      return TIMER;
    }

    @Override
    public LongCounter counter(String name) {
      return COUNTER;
    }

    @Override
    public boolean remove(String name) {
      return false;
    }

    @Override
    public <T> void gauge(String name, Supplier<Supplier<T>> gaugeSupplier) {}

    @Override
    public MetricRegistryInfo getMetricRegistryInfo() {
      return info;
    }
  }
}
