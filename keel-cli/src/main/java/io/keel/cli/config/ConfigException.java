package io.keel.cli.config;

import java.util.List;

/**
 * A cloud-config file that cannot be applied. It carries every problem found, not just the first;
 * its message is their {@link ConfigError#format formatted} lines joined by newlines.
 */
public final class ConfigException extends RuntimeException {
  private final String source;
  private final List<ConfigError> errors;

  public ConfigException(String source, List<ConfigError> errors) {
    super(String.join("\n", errors.stream().map(e -> e.format(source)).toList()));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.source = source;
    this.errors = List.copyOf(errors);
  }

  /** The file name the errors are reported against. */
  public String source() {
    return source;
  }

  public List<ConfigError> errors() {
    return errors;
  }

  /** One formatted line per error, in file order. */
  public List<String> lines() {
    return errors.stream().map(e -> e.format(source)).toList();
  }
}
