package io.keel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {
  @Test
  void emptyStatsReportZeros() {
    LatencyStats s = new LatencyStats();
    assertThat(s.count()).isZero();
    assertThat(s.percentileMillis(99)).isZero();
    assertThat(s.maxMillis()).isZero();
    assertThat(s.meanMillis()).isZero();
  }

  @Test
  void percentilesOfOneToThousandMillis() {
    LatencyStats s = new LatencyStats();
    for (int ms = 1000; ms >= 1; ms--) { // order must not matter
      s.recordNanos(ms * 1_000_000L);
    }
    assertThat(s.count()).isEqualTo(1000);
    // HdrHistogram with 3 significant digits: within 0.1% of the exact rank value.
    assertThat(s.percentileMillis(50)).isCloseTo(500, within(0.5));
    assertThat(s.percentileMillis(90)).isCloseTo(900, within(0.9));
    assertThat(s.percentileMillis(99)).isCloseTo(990, within(1.0));
    assertThat(s.percentileMillis(99.9)).isCloseTo(999, within(1.0));
    assertThat(s.maxMillis()).isCloseTo(1000, within(1.0));
    assertThat(s.minMillis()).isCloseTo(1, within(0.001));
    assertThat(s.meanMillis()).isCloseTo(500.5, within(0.5));
  }

  @Test
  void oneSlowRequestOnlyMovesTheTail() {
    LatencyStats s = new LatencyStats();
    for (int i = 0; i < 999; i++) {
      s.recordNanos(2_000_000L);
    }
    s.recordNanos(5_000_000_000L);
    assertThat(s.percentileMillis(50)).isCloseTo(2, within(0.01));
    assertThat(s.percentileMillis(99)).isCloseTo(2, within(0.01));
    assertThat(s.maxMillis()).isCloseTo(5000, within(5.0));
  }

  @Test
  void outOfRangeValuesAreClampedNotLost() {
    LatencyStats s = new LatencyStats();
    s.recordNanos(0);
    s.recordNanos(-5);
    s.recordNanos(Long.MAX_VALUE);
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.maxMillis()).isCloseTo(30 * 60 * 1000.0, within(30 * 60 * 1.0));
  }

  @Test
  void addAndResetCombineRuns() {
    LatencyStats a = new LatencyStats();
    LatencyStats b = new LatencyStats();
    a.recordNanos(1_000_000);
    b.recordNanos(3_000_000);
    a.add(b);
    assertThat(a.count()).isEqualTo(2);
    assertThat(a.meanMillis()).isCloseTo(2, within(0.01));
    a.reset();
    assertThat(a.count()).isZero();
  }

  @Test
  void writesFlatJsonFieldsWithPrefix() {
    LatencyStats s = new LatencyStats();
    s.recordNanos(1_500_000);
    JsonLine json = new JsonLine();
    s.writeTo(json, "event_");
    assertThat(json.toString())
        .contains("\"event_count\":1", "\"event_p50_ms\":1.5", "\"event_p99_ms\":1.5",
            "\"event_p999_ms\":1.5", "\"event_max_ms\":1.5");
  }
}
