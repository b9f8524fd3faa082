package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.junit.jupiter.api.Test;

class SilentRatisMetricsTest {
  @Test
  void ratisLoadsTheSilentRegistriesThroughItsServiceLookup() {
    assertThat(MetricRegistries.global()).isInstanceOf(SilentRatisMetrics.class);
  }

  @Test
  void registriesAcceptEveryMeterAndRecordNothing() {
    var info = new MetricRegistryInfo("peer-1", "ratis", "log_worker", "raft log worker");
    var registry = MetricRegistries.global().create(info);

    registry.counter("appends").inc(5);
    registry.gauge("flushIndex", () -> () -> 42L);

    assertThat(registry.counter("appends").getCount()).isZero();
    assertThat(registry.timer("flush").time().stop()).isZero();
    assertThat(registry.getMetricRegistryInfo()).isEqualTo(info);
    assertThat(MetricRegistries.global().getMetricRegistries()).isEmpty();
  }
}
