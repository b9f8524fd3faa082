package io.keel.cli;

import io.keel.cli.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Go-style durations as etcd's flags take them: {@code 10m}, {@code 1h30m}, {@code 500ms} ({@link Durations}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
