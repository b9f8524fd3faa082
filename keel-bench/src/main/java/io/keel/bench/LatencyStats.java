package io.keel.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latency recorder for one benchmark run: a thread-safe HdrHistogram of nanoseconds
 * (3 significant digits, so every percentile is within 0.1% of the recorded value).
 * Recording is lock-free and safe from gRPC callback threads.
 */
public final class LatencyStats {
  /** Percentiles reported by every run, in this order. */
  public static final double[] REPORTED = {50.0, 90.0, 99.0, 99.9};

  private static final long HIGHEST = TimeUnit.MINUTES.toNanos(30);

  private final Histogram histogram;

  public LatencyStats() {
    this.histogram = new ConcurrentHistogram(1, HIGHEST, 3);
  }

  /** Records one latency in nanoseconds. Values outside [1ns, 30min] are clamped. */
  public void recordNanos(long nanos) {
    histogram.recordValue(Math.max(1, Math.min(nanos, HIGHEST)));
  }

  public long count() {
    return histogram.getTotalCount();
  }

  /** The value at {@code percentile} (0..100) in milliseconds; 0 when nothing was recorded. */
  public double percentileMillis(double percentile) {
    if (count() == 0) {
      return 0.0;
    }
    return histogram.getValueAtPercentile(percentile) / 1e6;
  }

  public double maxMillis() {
    return count() == 0 ? 0.0 : histogram.getMaxValue() / 1e6;
  }

  public double minMillis() {
    return count() == 0 ? 0.0 : histogram.getMinValue() / 1e6;
  }

  public double meanMillis() {
    return count() == 0 ? 0.0 : histogram.getMean() / 1e6;
  }

  /** Forgets everything recorded. */
  public void reset() {
    histogram.reset();
  }

  /** Adds every value recorded in {@code other} to this one. */
  public void add(LatencyStats other) {
    histogram.add(other.histogram);
  }

  /** Writes {prefix}p50_ms .. {prefix}max_ms into {@code json}. */
  public void writeTo(JsonLine json, String prefix) {
    json.put(prefix + "count", count());
    json.put(prefix + "mean_ms", meanMillis());
    json.put(prefix + "p50_ms", percentileMillis(50.0));
    json.put(prefix + "p90_ms", percentileMillis(90.0));
    json.put(prefix + "p99_ms", percentileMillis(99.0));
    json.put(prefix + "p999_ms", percentileMillis(99.9));
    json.put(prefix + "max_ms", maxMillis());
  }

  /** One human line: {@code p50 1.234  p90 ...  max ... ms}. */
  public String summary() {
    return String.format(
        "mean %s  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s ms",
        ms(meanMillis()),
        ms(percentileMillis(50.0)),
        ms(percentileMillis(90.0)),
        ms(percentileMillis(99.0)),
        ms(percentileMillis(99.9)),
        ms(maxMillis()));
  }

  static String ms(double v) {
    return v >= 100 ? String.format("%.1f", v) : String.format("%.3f", v);
  }
}
