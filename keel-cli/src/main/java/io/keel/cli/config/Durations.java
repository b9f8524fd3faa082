package io.keel.cli.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations, as etcd's and {@code keel}'s duration flags and machine files take them: {@code 500ms}, {@code 1h30m}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|h|m|s)");

  private Durations() {}

  /** @throws IllegalArgumentException if {@code text} is not such a duration */
  public static Duration parse(String text) {
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMillis(n);
      });
      end = m.end();
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 10s, 1h30m)");
    }
    return total;
  }

  /** The shortest Go form of {@code d} ({@code 1h30m}, {@code 90s}, {@code 0s}); sub-millisecond parts are dropped. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    long[] sizes = {3_600_000, 60_000, 1_000, 1};
    String[] units = {"h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms >= sizes[i]) {
        b.append(ms / sizes[i]).append(units[i]);
        ms %= sizes[i];
      }
    }
    return b.toString();
  }
}
