package io.keel.cli.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * etcd's {@code --config-file} for {@code keel store}: the YAML file an etcd member reads, each key
 * the flag of the same name ({@code data-dir: /var/lib/etcd}), with the TLS flags under {@code
 * client-transport-security} and {@code peer-transport-security}. It stands for the flags it
 * holds. Keys that are not flags of {@code keel store} are reported and ignored (etcd ignores keys
 * it does not know); a value that cannot be a flag's is an error naming its line.
 */
public final class EtcdConfigFile {
  /** The TLS sections, and the prefix their keys take as flags. */
  private static final Map<String, String> SECTIONS = Map.of(
      "client-transport-security", "--", "peer-transport-security", "--peer-");

  /**
   * The flags the file stands for, and where each came from.
   *
   * @param warnings keys that are not flags of {@code keel store}, which were ignored
   * @param sources each flag set, with its place in the file ({@code etcd.yaml:3: data-dir})
   */
  public record Read(List<String> args, List<String> warnings, Map<String, String> sources) {}

  private final String source;
  private final Set<String> flags;
  private final Problems problems = new Problems();
  private final List<String> args = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, String> sources = new LinkedHashMap<>();

  private EtcdConfigFile(String source, Set<String> flags) {
    this.source = source;
    this.flags = flags;
  }

  /**
   * Reads {@code file}.
   *
   * @param flags every flag {@code keel store} takes, such as {@code --data-dir}
   * @throws ConfigException naming every line at fault
   * @throws IOException if the file cannot be read
   */
  public static Read read(Path file, Set<String> flags) throws IOException {
    return read(file.toString(), CloudConfigParser.text(file), flags);
  }

  static Read read(String source, String text, Set<String> flags) {
    var reader = new EtcdConfigFile(source, flags);
    reader.document(CloudConfigParser.compose(source, text));
    if (!reader.problems.isEmpty()) {
      throw new ConfigException(source, reader.problems.sorted());
    }
    return new Read(List.copyOf(reader.args), List.copyOf(reader.warnings),
        Map.copyOf(reader.sources));
  }

  private void document(Node root) {
    if (CloudConfigParser.isEmpty(root)) {
      return;
    }
    if (!(root instanceof MappingNode mapping)) {
      problems.add(root, "", "must be a mapping of etcd settings, such as 'name: infra1'");
      return;
    }
    settings(mapping, "", "--");
  }

  private void settings(MappingNode mapping, String section, String flagPrefix) {
    Map<String, Integer> keyLines = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        problems.add(tuple.getKeyNode(), section, "a setting's name must be a plain word");
        continue;
      }
      String key = keyNode.getValue();
      String path = section.isEmpty() ? key : section + "." + key;
      Integer first = keyLines.putIfAbsent(key, Problems.line(keyNode));
      if (first != null) {
        problems.add(keyNode, path, "given twice (first on line " + first + ")");
        continue;
      }
      String sectionPrefix = section.isEmpty() ? SECTIONS.get(key) : null;
      if (sectionPrefix != null) {
        if (tuple.getValueNode() instanceof MappingNode inner) {
          settings(inner, key, sectionPrefix);
        } else if (!isNull(tuple.getValueNode())) {
          problems.add(tuple.getValueNode(), path, "must be a mapping such as 'cert-file: FILE'");
        }
        continue;
      }
      setting(flagPrefix + key, path, keyNode, tuple.getValueNode());
    }
  }

  private void setting(String flag, String path, Node keyNode, Node value) {
    int line = Problems.line(keyNode);
    if (!flags.contains(flag)) {
      String hint = DidYouMean.suggest(flag, flags).map(f -> " (did you mean '" + f.substring(2)
          + "'?)").orElse("");
      warnings.add(source + ":" + line + ": '" + path + "' is not a setting of keel store; ignored"
          + hint);
      return;
    }
    if (isNull(value)) {
      return;
    }
    String text = switch (value) {
      case ScalarNode scalar -> scalarText(scalar);
      case SequenceNode list when list.getValue().stream().allMatch(n -> n instanceof ScalarNode) ->
          String.join(",", list.getValue().stream().map(n -> ((ScalarNode) n).getValue()).toList());
      default -> null;
    };
    if (text == null) {
      problems.add(value, path, "must be a single value or a list of values");
      return;
    }
    args.add(flag + "=" + text);
    sources.put(flag, source + ":" + line + ": " + path);
  }

  /** Booleans as etcd's YAML reads them (yes, on, true), written as the flags take them. */
  private static String scalarText(ScalarNode scalar) {
    if (Tag.BOOL.equals(scalar.getTag())) {
      return switch (scalar.getValue().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on", "y" -> "true";
        default -> "false";
      };
    }
    return scalar.getValue();
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
  }
}
