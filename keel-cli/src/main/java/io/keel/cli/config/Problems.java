package io.keel.cli.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** The errors collected while reading one document. */
final class Problems {
  private final List<ConfigError> errors = new ArrayList<>();

  void add(Node at, String path, String message) {
    add(line(at), path, message);
  }

  void add(int line, String path, String message) {
    errors.add(new ConfigError(line, path, message));
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  int size() {
    return errors.size();
  }

  /** The errors in file order (stable for errors on the same line). */
  List<ConfigError> sorted() {
    List<ConfigError> copy = new ArrayList<>(errors);
    copy.sort(Comparator.comparingInt(ConfigError::line));
    return copy;
  }

  static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }
}
