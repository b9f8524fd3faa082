package io.keel.cli.config;

import io.keel.cli.config.MachineConfig.Unit;
import io.keel.cli.config.MachineConfig.UnitCommand;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** The {@code units:} list. */
final class UnitsSection {
  static final Set<String> KEYS = Set.of("name", "command", "content");
  private static final Pattern LINE = Pattern.compile("line (\\d+): (.*)", Pattern.DOTALL);

  private UnitsSection() {}

  static List<Unit> read(List<Node> items, String path, Problems problems) {
    List<Unit> units = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String itemPath = path + "[" + i + "]";
      Optional<Unit> unit = MappingReader.of(item, itemPath, problems, KEYS).flatMap(UnitsSection::unit);
      if (unit.isEmpty()) {
        continue;
      }
      Integer first = seen.putIfAbsent(unit.get().name().value(), Problems.line(item));
      if (first != null) {
        problems.add(item, itemPath + ".name", "unit " + unit.get().name() + " is listed twice (first on line "
            + first + ")");
        continue;
      }
      units.add(unit.get());
    }
    return units;
  }

  private static Optional<Unit> unit(MappingReader m) {
    Optional<UnitName> name = m.requiredString("name").flatMap(s -> m.convert("name", s, UnitName::parse));
    Optional<UnitCommand> command = m.requiredString("command").flatMap(s -> m.convert("command", s,
        UnitsSection::command));
    Optional<UnitFile> content = m.get("content").flatMap(n -> content(n, m.child("content"), m.problems()));
    if (name.isEmpty() || command.isEmpty() || m.has("content") && content.isEmpty()) {
      return Optional.empty();
    }
    if (command.get() == UnitCommand.SUBMIT && !m.has("content")) {
      m.missing("content");
      return Optional.empty();
    }
    if (command.get() != UnitCommand.SUBMIT && name.get().isTemplate()) {
      m.error("name", "a template unit cannot be " + (command.get() == UnitCommand.START ? "started" : "loaded")
          + ": name an instance such as " + name.get().prefix() + "@1." + name.get().suffix()
          + ", or use command: submit");
      return Optional.empty();
    }
    return Optional.of(new Unit(name.get(), command.get(), content));
  }

  private static UnitCommand command(String text) {
    return switch (text) {
      case "start" -> UnitCommand.START;
      case "load" -> UnitCommand.LOAD;
      case "submit" -> UnitCommand.SUBMIT;
      default -> throw new IllegalArgumentException("'" + text + "' is not a unit command: use start, load or submit");
    };
  }

  /** The unit file; a parse error inside a block scalar is reported on the file's own line. */
  private static Optional<UnitFile> content(Node node, String path, Problems problems) {
    Optional<String> text = Scalars.nonBlank(node, path, problems);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(UnitFile.parse(text.get()));
    } catch (RuntimeException e) {
      Matcher lm = LINE.matcher(String.valueOf(e.getMessage()));
      boolean block = node instanceof ScalarNode s
          && (s.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL);
      if (lm.matches() && block) {
        problems.add(Problems.line(node) + Integer.parseInt(lm.group(1)), path, lm.group(2));
      } else {
        problems.add(node, path, e.getMessage());
      }
      return Optional.empty();
    }
  }
}
