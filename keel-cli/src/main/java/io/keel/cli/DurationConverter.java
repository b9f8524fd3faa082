package io.keel.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Go-style durations as etcd's flags take them: {@code 10m}, {@code 1h30m}, {@code 500ms}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

  @Override
  public Duration convert(String value) {
    Matcher m = PART.matcher(value);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMillis(n);
      });
      end = m.end();
    }
    if (end == 0 || end != value.length()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration (examples: 500ms, 10s, 1h30m)");
    }
    return total;
  }
}
