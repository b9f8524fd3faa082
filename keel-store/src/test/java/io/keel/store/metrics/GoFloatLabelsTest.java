package io.keel.store.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFloatLabelsTest {
  /** Expected values are what Go 1.x prints for strconv.FormatFloat(v, 'g', -1, 64). */
  @ParameterizedTest
  @CsvSource({
      "1.0E-4, 0.0001",
      "2.0E-4, 0.0002",
      "0.001, 0.001",
      "0.8192, 0.8192",
      "1.0, 1",
      "8.192, 8.192",
      "0.5, 0.5",
      "0.99, 0.99",
      "1.0E-5, 1e-05",
      "1.5E-7, 1.5e-07",
      "123456.0, 123456",
      "1000000.0, 1e+06",
      "1234567.0, 1.234567e+06",
      "1.0E21, 1e+21",
      "-2.5, -2.5",
      "-1.0E-5, -1e-05",
      "0.0, 0",
  })
  void formatsAsGo(double value, String go) {
    assertThat(GoFloatLabels.format(value)).isEqualTo(go);
  }

  @Test
  void infinitiesAndNaN() {
    assertThat(GoFloatLabels.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(GoFloatLabels.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(GoFloatLabels.format(Double.NaN)).isEqualTo("NaN");
  }

  @Test
  void rewritesBucketAndQuantileLabelsOnly() {
    String java = """
        # HELP x_seconds A histogram.
        x_seconds_bucket{To="1.0E-4",le="1.0E-4"} 3.0
        x_seconds_bucket{To="1.0E-4",le="1.0"} 4.0
        x_seconds_bucket{To="1.0E-4",le="+Inf"} 5.0
        y{quantile="0.5",handle="1.0"} 2.0E-4
        z{file="le=\\"1.0\\"",x="a,le=\\"2.0\\"}"} 1.0
        w 1.0
        """;
    assertThat(GoFloatLabels.rewrite(java)).isEqualTo("""
        # HELP x_seconds A histogram.
        x_seconds_bucket{To="1.0E-4",le="0.0001"} 3.0
        x_seconds_bucket{To="1.0E-4",le="1"} 4.0
        x_seconds_bucket{To="1.0E-4",le="+Inf"} 5.0
        y{quantile="0.5",handle="1.0"} 2.0E-4
        z{file="le=\\"1.0\\"",x="a,le=\\"2.0\\"}"} 1.0
        w 1.0
        """);
  }

  @Test
  void leavesMalformedLinesAsTheyAre() {
    String broken = "a{le=\"1.0\n b{le=\"2.0\\\n c{le \"3.0\"} 1\n d{le=\"x\"} 1\n";
    assertThat(GoFloatLabels.rewrite(broken)).isEqualTo(broken);
  }
}
