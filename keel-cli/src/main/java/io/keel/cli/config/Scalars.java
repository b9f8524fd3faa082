package io.keel.cli.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads of YAML nodes that refuse YAML 1.1's traps: a plain {@code off}, {@code yes} or
 * {@code 0644} where a string is meant is reported, not silently read as a boolean or an octal number.
 * Every read reports its problem to {@link Problems} and returns empty instead of throwing.
 */
final class Scalars {
  private static final Pattern OCTAL = Pattern.compile("[-+]?0[0-7_]+");
  private static final Pattern SEXAGESIMAL = Pattern.compile("[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+");

  private Scalars() {}

  /** A string; numbers are taken as written, booleans, octal-looking and base-60 numbers and nulls are refused. */
  static Optional<String> string(Node node, String path, Problems problems) {
    if (!(node instanceof ScalarNode scalar)) {
      problems.add(node, path, "expected a string, got " + describe(node));
      return Optional.empty();
    }
    String value = scalar.getValue();
    Tag tag = scalar.getTag();
    if (Tag.NULL.equals(tag)) {
      problems.add(node, path, "has no value");
      return Optional.empty();
    }
    if (Tag.BOOL.equals(tag) && scalar.isPlain()) {
      problems.add(node, path, "'" + value + "' is read as the boolean " + booleanValue(value)
          + " by YAML 1.1: write '" + value + "' in quotes");
      return Optional.empty();
    }
    if (Tag.INT.equals(tag) && scalar.isPlain() && OCTAL.matcher(value).matches()) {
      problems.add(node, path, "'" + value + "' is read as an octal number by YAML 1.1: write \""
          + value + "\" in quotes");
      return Optional.empty();
    }
    if (Tag.INT.equals(tag) && scalar.isPlain() && SEXAGESIMAL.matcher(value).matches()) {
      problems.add(node, path, "'" + value + "' is read as a base-60 number by YAML 1.1: write \""
          + value + "\" in quotes");
      return Optional.empty();
    }
    if (!Tag.STR.equals(tag) && !Tag.INT.equals(tag) && !Tag.FLOAT.equals(tag)
        && !Tag.TIMESTAMP.equals(tag)) {
      problems.add(node, path, "expected a string, got " + describe(node));
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /** A non-blank string. */
  static Optional<String> nonBlank(Node node, String path, Problems problems) {
    Optional<String> s = string(node, path, problems);
    if (s.isPresent() && s.get().isBlank()) {
      problems.add(node, path, "is empty");
      return Optional.empty();
    }
    return s;
  }

  /** {@code true} or {@code false}, unquoted; YAML 1.1's yes/no/on/off are refused as ambiguous. */
  static Optional<Boolean> bool(Node node, String path, Problems problems) {
    if (node instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
      String v = scalar.getValue().toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("false")) {
        return Optional.of(v.equals("true"));
      }
      problems.add(node, path, "write true or false, not '" + scalar.getValue() + "'");
      return Optional.empty();
    }
    problems.add(node, path, "expected true or false, got " + describe(node));
    return Optional.empty();
  }

  /** A list of strings; {@code allowScalar} also takes one string as a one-element list. */
  static Optional<List<String>> strings(Node node, String path, Problems problems, boolean allowScalar) {
    if (allowScalar && node instanceof ScalarNode) {
      return nonBlank(node, path, problems).map(List::of);
    }
    if (!(node instanceof SequenceNode seq)) {
      problems.add(node, path, "expected a list of strings, got " + describe(node));
      return Optional.empty();
    }
    List<String> values = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < seq.getValue().size(); i++) {
      Optional<String> s = nonBlank(seq.getValue().get(i), path + "[" + i + "]", problems);
      ok &= s.isPresent();
      s.ifPresent(values::add);
    }
    return ok ? Optional.of(values) : Optional.empty();
  }

  /** The items of a list, or empty after reporting that {@code node} is not one. */
  static Optional<List<Node>> list(Node node, String path, Problems problems) {
    if (node instanceof SequenceNode seq) {
      return Optional.of(seq.getValue());
    }
    if (node instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) {
      return Optional.of(List.of());
    }
    problems.add(node, path, "expected a list, got " + describe(node));
    return Optional.empty();
  }

  /** How an error names what was found: "a mapping", "a list", "the boolean false", "no value", "'x'". */
  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode s = (ScalarNode) node;
    Tag tag = s.getTag();
    if (Tag.NULL.equals(tag)) {
      return "no value";
    }
    if (Tag.BOOL.equals(tag)) {
      return "the boolean " + booleanValue(s.getValue()) + " ('" + s.getValue() + "')";
    }
    if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
      return "the number " + s.getValue();
    }
    return "the string '" + s.getValue() + "'";
  }

  private static boolean booleanValue(String yaml11) {
    return switch (yaml11.toLowerCase(Locale.ROOT)) {
      case "yes", "true", "on" -> true;
      default -> false;
    };
  }
}
