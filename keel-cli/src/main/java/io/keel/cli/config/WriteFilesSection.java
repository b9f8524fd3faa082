package io.keel.cli.config;

import io.keel.cli.config.MachineConfig.WriteFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/** The {@code write_files:} list. */
final class WriteFilesSection {
  static final Set<String> KEYS = Set.of("path", "content", "permissions", "owner", "encoding");
  static final int DEFAULT_MODE = 0644;
  private static final Pattern MODE = Pattern.compile("[0-7]{1,4}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}|[0-9]{1,10}");

  private WriteFilesSection() {}

  static List<WriteFile> read(List<Node> items, String path, Problems problems) {
    List<WriteFile> files = new ArrayList<>();
    Map<Path, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String itemPath = path + "[" + i + "]";
      Optional<WriteFile> file = MappingReader.of(item, itemPath, problems, KEYS).flatMap(WriteFilesSection::file);
      if (file.isEmpty()) {
        continue;
      }
      Integer first = seen.putIfAbsent(file.get().path(), Problems.line(item));
      if (first != null) {
        problems.add(item, itemPath + ".path", file.get().path() + " is written twice (first on line " + first + ")");
        continue;
      }
      files.add(file.get());
    }
    return files;
  }

  private static Optional<WriteFile> file(MappingReader m) {
    int before = m.problems().size();
    Optional<Path> path = m.requiredString("path").flatMap(s -> m.convert("path", s, WriteFilesSection::path));
    Optional<String> encoding = m.string("encoding").flatMap(s -> m.convert("encoding", s,
        WriteFilesSection::encoding));
    Optional<String> content = m.read("content", false, Scalars::string);
    byte[] bytes = content.map(c -> decode(m, c, encoding.orElse(""))).orElse(new byte[0]);
    Optional<Integer> mode = m.read("permissions", false, WriteFilesSection::mode);
    Optional<String> owner = m.string("owner").flatMap(s -> m.convert("owner", s, WriteFilesSection::owner));
    if (m.problems().size() > before || path.isEmpty() || bytes == null) {
      return Optional.empty();
    }
    return Optional.of(new WriteFile(path.get(), bytes, mode.orElse(DEFAULT_MODE), owner));
  }

  /** A mode: a quoted octal string; a plain number is refused whatever its value (YAML reads 0644 as 420). */
  static Optional<Integer> mode(Node node, String path, Problems problems) {
    if (node instanceof ScalarNode s && s.isPlain()
        && (Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()))) {
      problems.add(node, path, s.getValue() + " is read as a number, not a mode: write permissions as a quoted"
          + " string, e.g. \"0644\"");
      return Optional.empty();
    }
    Optional<String> text = Scalars.nonBlank(node, path, problems);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (!MODE.matcher(text.get()).matches()) {
      problems.add(node, path, "'" + text.get() + "' is not an octal mode (0000 to 7777, e.g. \"0644\")");
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(text.get(), 8));
  }

  private static Path path(String text) {
    Path p;
    try {
      p = Path.of(text);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("'" + text + "' is not a path: " + e.getReason());
    }
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("'" + text + "' is not an absolute path");
    }
    if (!p.normalize().toString().equals(text) || text.endsWith("/")) {
      throw new IllegalArgumentException("'" + text + "' is not a normalized file path (no ., .., // or trailing /)");
    }
    if (p.getNameCount() == 0) {
      throw new IllegalArgumentException("'/' is not a file");
    }
    return p;
  }

  private static String encoding(String text) {
    return switch (text) {
      case "b64", "base64" -> "base64";
      default -> throw new IllegalArgumentException("'" + text + "' is not a supported encoding: use base64 (or b64),"
          + " or leave encoding out for plain text");
    };
  }

  private static byte[] decode(MappingReader m, String content, String encoding) {
    if (!encoding.equals("base64")) {
      return content.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getMimeDecoder().decode(content.strip());
    } catch (IllegalArgumentException e) {
      m.error("content", "is not valid base64: " + e.getMessage());
      return null;
    }
  }

  private static String owner(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length > 2 || !NAME.matcher(parts[0]).matches()
        || parts.length == 2 && !NAME.matcher(parts[1]).matches()) {
      throw new IllegalArgumentException("'" + text + "' is not user or user:group");
    }
    return text;
  }
}
