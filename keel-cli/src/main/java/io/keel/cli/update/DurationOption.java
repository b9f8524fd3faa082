package io.keel.cli.update;

import io.keel.cli.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Durations as {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 250ms} ({@link Durations}) or ISO-8601 ({@code PT5M}). */
final class DurationOption implements CommandLine.ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException notGo) {
      try {
        return Duration.parse(value);
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException("\"" + value + "\" is not a duration, like 30s, 5m or 1h");
      }
    }
  }
}
