package io.keel.store.raft;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;
import org.apache.ratis.util.TimeDuration;

/**
 * Ratis's metric registries, replaced (through {@code META-INF/services}) by ones that record
 * nothing. Keel's own meters ({@code StoreMetrics}) are what {@code /metrics} serves, Ratis never
 * reads its metrics back, and its default registries time every log write, flush and append with
 * codahale timers: 1–3% of a loaded member's CPU for numbers nobody could see.
 */
public final class SilentRatisMetrics extends MetricRegistries {
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
