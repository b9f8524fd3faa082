package io.keel.cli.config;

/**
 * One problem in a cloud-config file: the 1-based line it is on (0 when the file as a whole is at
 * fault), the key path ({@code keel.reboot.strategy}, {@code units[0].name}; empty for the document)
 * and what is wrong.
 */
public record ConfigError(int line, String path, String message) {

  /** {@code machine.yaml:7: keel.reboot.strategy: message}, the form every tool prints. */
  public String format(String source) {
    StringBuilder b = new StringBuilder(source).append(':');
    if (line > 0) {
      b.append(line).append(':');
    }
    b.append(' ');
    if (!path.isEmpty()) {
      b.append(path).append(": ");
    }
    return b.append(message).toString();
  }
}
