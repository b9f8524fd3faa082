package io.keel.cli.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * One YAML mapping checked against the keys it may hold: unknown keys (with a did-you-mean),
 * duplicate keys and non-string keys are reported as it is built; missing required keys when read.
 */
final class MappingReader {
  private final Node node;
  private final String path;
  private final Problems problems;
  private final Map<String, Node> values = new LinkedHashMap<>();

  private MappingReader(MappingNode node, String path, Problems problems, Set<String> known) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    Map<String, Integer> keyLines = new LinkedHashMap<>();
    for (NodeTuple t : node.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key)) {
        problems.add(t.getKeyNode(), path, "keys must be strings, got " + Scalars.describe(t.getKeyNode()));
        continue;
      }
      String name = key.getValue();
      if (keyLines.containsKey(name)) {
        problems.add(key, child(name), "given twice (first on line " + keyLines.get(name) + ")");
        continue;
      }
      keyLines.put(name, Problems.line(key));
      if (known != null && !known.contains(name)) {
        problems.add(key, child(name), "unknown key"
            + DidYouMean.suggest(name, known).map(s -> " (did you mean '" + s + "'?)").orElse("")
            + "; expected one of " + String.join(", ", known.stream().sorted().toList()));
        continue;
      }
      values.put(name, t.getValueNode());
    }
  }

  /**
   * Reads {@code node} as a mapping with the keys in {@code known} (null: any key), or reports that
   * it is not a mapping and returns empty.
   */
  static Optional<MappingReader> of(Node node, String path, Problems problems, Set<String> known) {
    if (node instanceof MappingNode m) {
      return Optional.of(new MappingReader(m, path, problems, known));
    }
    problems.add(node, path.isEmpty() ? "" : path, "expected a mapping, got " + Scalars.describe(node));
    return Optional.empty();
  }

  String path() {
    return path;
  }

  Node node() {
    return node;
  }

  String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  Map<String, Node> entries() {
    return values;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  Optional<Node> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** The value of {@code key} read by {@code read}, or empty (reported) if absent and required. */
  <T> Optional<T> read(String key, boolean required, Reading<T> read) {
    Node value = values.get(key);
    if (value == null) {
      if (required) {
        missing(key);
      }
      return Optional.empty();
    }
    return read.apply(value, child(key), problems);
  }

  Optional<String> string(String key) {
    return read(key, false, Scalars::nonBlank);
  }

  Optional<String> requiredString(String key) {
    return read(key, true, Scalars::nonBlank);
  }

  /** Reads {@code key} as a string and converts it, reporting the converter's message at the value. */
  <T> Optional<T> parsed(String key, Function<String, T> parse) {
    return string(key).flatMap(s -> convert(key, s, parse));
  }

  <T> Optional<T> convert(String key, String text, Function<String, T> parse) {
    try {
      return Optional.ofNullable(parse.apply(text));
    } catch (RuntimeException e) {
      error(key, e.getMessage());
      return Optional.empty();
    }
  }

  Optional<List<Node>> list(String key) {
    return read(key, false, Scalars::list);
  }

  /** Reports {@code message} at the value of {@code key} (or at the mapping if absent). */
  void error(String key, String message) {
    Node at = values.getOrDefault(key, node);
    problems.add(at, child(key), message);
  }

  /** Reports {@code message} at this mapping itself. */
  void error(String message) {
    problems.add(node, path, message);
  }

  void missing(String key) {
    problems.add(node, path, "missing required key '" + key + "'");
  }

  Problems problems() {
    return problems;
  }

  /** A typed read of one value node. */
  @FunctionalInterface
  interface Reading<T> {
    Optional<T> apply(Node node, String path, Problems problems);
  }
}
