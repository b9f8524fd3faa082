package io.keel.cli.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a {@code #cloud-config} machine file into a {@link MachineConfig}, checking all of it first.
 *
 * <p>The YAML is composed into a node tree (never constructed into Java objects), so every problem is
 * reported with its line and key path, and YAML 1.1's implicit typing cannot change a value
 * unnoticed. All problems are collected; a file with any problem yields a {@link ConfigException}
 * and no {@link MachineConfig}, so nothing is applied from it.
 */
public final class CloudConfigParser {
  /** The optional first line that marks a cloud-config document. */
  public static final String HEADER = "#cloud-config";

  static final Set<String> TOP_KEYS = Set.of("keel", "store", "units", "write_files", "users");

  private CloudConfigParser() {}

  /**
   * Reads and checks {@code file}; errors name it as given.
   *
   * @throws ConfigException listing every problem
   * @throws IOException if the file cannot be read
   */
  public static MachineConfig parse(Path file) throws IOException {
    return parse(file.toString(), text(file));
  }

  /** The file's text; a file that is not UTF-8 is a {@link ConfigException}. */
  static String text(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(file.toString(), List.of(new ConfigError(0, "", "is not UTF-8 text")));
    }
  }

  /**
   * Checks {@code text}, reporting errors against {@code source} (a file name).
   *
   * @throws ConfigException listing every problem
   */
  public static MachineConfig parse(String source, String text) {
    Problems problems = new Problems();
    MachineConfig config = document(compose(source, text), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems.sorted());
    }
    return config;
  }

  /**
   * The YAML node tree of {@code text} (null for an empty document), never constructed into Java
   * objects; malformed YAML is a {@link ConfigException} with the line at fault.
   */
  static Node compose(String source, String text) {
    try {
      return new Yaml(loaderOptions()).compose(new java.io.StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? e.getContext() + ": " : "";
      throw new ConfigException(source, List.of(new ConfigError(mark == null ? 0 : mark.getLine() + 1, "",
          "not valid YAML: " + context + problem.trim())));
    } catch (YAMLException e) {
      throw new ConfigException(source, List.of(new ConfigError(0, "", "not valid YAML: " + e.getMessage())));
    }
  }

  /** Whether the document is empty: no node, or a lone null. */
  static boolean isEmpty(Node root) {
    return root == null || root instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
  }

  private static MachineConfig document(Node root, Problems problems) {
    if (isEmpty(root)) {
      return MachineConfig.empty();
    }
    Optional<MappingReader> top = MappingReader.of(root, "", problems, TOP_KEYS);
    if (top.isEmpty()) {
      return MachineConfig.empty();
    }
    MappingReader doc = top.get();
    var node = doc.get("keel").map(n -> NodeSection.read(n, "keel", problems))
        .orElse(MachineConfig.NodeSettings.NONE);
    var store = doc.get("store").map(n -> StoreSection.read(n, "store", problems)).orElse(List.of());
    var units = doc.list("units").map(l -> UnitsSection.read(l, "units", problems)).orElse(List.of());
    var files = doc.list("write_files").map(l -> WriteFilesSection.read(l, "write_files", problems))
        .orElse(List.of());
    var users = doc.list("users").map(l -> UsersSection.read(l, "users", problems)).orElse(List.of());
    return new MachineConfig(node, store, units, files, users);
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    options.setNestingDepthLimit(20);
    options.setCodePointLimit(4 << 20);
    return options;
  }
}
