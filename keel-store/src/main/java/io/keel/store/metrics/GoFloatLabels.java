package io.keel.store.metrics;

import java.math.BigDecimal;

/**
 * Writes the numbers in a Prometheus exposition's {@code le} and {@code quantile} labels as Go's
 * Prometheus client (and so etcd) writes them: {@code 0.0001} and {@code 1} where Java writes
 * {@code 1.0E-4} and {@code 1.0}. Before Prometheus 3, a label value is kept as written, so a
 * query or alert that names one bucket ({@code le="0.0001"}) only finds it when it is written
 * etcd's way.
 */
public final class GoFloatLabels {
  private GoFloatLabels() {}

  /** {@code exposition} with every {@code le} and {@code quantile} value written as Go does. */
  public static String rewrite(String exposition) {
    StringBuilder out = new StringBuilder(exposition.length());
    int i = 0;
    int n = exposition.length();
    while (i < n) {
      int lineEnd = exposition.indexOf('\n', i);
      lineEnd = lineEnd < 0 ? n : lineEnd + 1;
      int open = exposition.indexOf('{', i);
      if (exposition.charAt(i) == '#' || open < 0 || open >= lineEnd) {
        out.append(exposition, i, lineEnd);
      } else {
        out.append(exposition, i, open);
        i = rewriteLabels(exposition, open, lineEnd, out);
        out.append(exposition, i, lineEnd);
      }
      i = lineEnd;
    }
    return out.toString();
  }

  /**
   * Copies the label set that starts at {@code open} ({@code '{'}) and ends before {@code end} to
   * {@code out}, rewriting the number labels' values; returns the index after the last label it
   * copied. Values are read with their escapes, so a quote or brace inside one never ends it.
   */
  private static int rewriteLabels(String text, int open, int end, StringBuilder out) {
    int i = open + 1;
    out.append('{');
    while (i < end && text.charAt(i) != '}') {
      int eq = text.indexOf("=\"", i);
      if (eq < 0 || eq >= end) {
        return i;
      }
      int nameStart = i;
      while (nameStart < eq && (text.charAt(nameStart) == ',' || text.charAt(nameStart) == ' ')) {
        nameStart++;
      }
      String name = text.substring(nameStart, eq);
      int valueStart = eq + 2;
      int j = valueStart;
      while (j < end && text.charAt(j) != '"') {
        j += text.charAt(j) == '\\' ? 2 : 1;
      }
      if (j >= end) {
        return i;
      }
      String value = text.substring(valueStart, j);
      boolean number = name.equals("le") || name.equals("quantile");
      out.append(text, i, valueStart).append(number ? goValue(value) : value).append('"');
      i = j + 1;
    }
    return i;
  }

  private static String goValue(String javaValue) {
    double value;
    try {
      value = Double.parseDouble(javaValue);
    } catch (NumberFormatException e) {
      return javaValue;
    }
    return format(value);
  }

  /**
   * {@code value} as Go's {@code strconv.FormatFloat(value, 'g', -1, 64)}: the shortest digits,
   * in exponent form ({@code 1e-05}, {@code 1e+06}) when the decimal exponent is below -4 or at
   * least 6; infinities as {@code +Inf} and {@code -Inf}.
   */
  public static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == 0) {
      return "0";
    }
    // Double.toString gives the shortest digits that read back as the same double (JDK 19+)
    BigDecimal exact = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    int exponent = exact.precision() - exact.scale() - 1;
    if (exponent >= -4 && exponent < 6) {
      return exact.toPlainString();
    }
    String digits = exact.unscaledValue().abs().toString();
    StringBuilder out = new StringBuilder();
    if (exact.signum() < 0) {
      out.append('-');
    }
    out.append(digits.charAt(0));
    if (digits.length() > 1) {
      out.append('.').append(digits, 1, digits.length());
    }
    out.append('e').append(exponent < 0 ? '-' : '+');
    int magnitude = Math.abs(exponent);
    if (magnitude < 10) {
      out.append('0');
    }
    return out.append(magnitude).toString();
  }
}
