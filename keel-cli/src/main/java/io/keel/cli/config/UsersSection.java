package io.keel.cli.config;

import io.keel.cli.config.MachineConfig.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** The {@code users:} list. */
final class UsersSection {
  static final Set<String> KEYS = Set.of("name", "groups", "ssh_authorized_keys");
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  private static final Pattern KEY = Pattern.compile(
      "(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com)"
          + " [A-Za-z0-9+/]+={0,2}( [^\\n]*)?");

  private UsersSection() {}

  static List<User> read(List<Node> items, String path, Problems problems) {
    List<User> users = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String itemPath = path + "[" + i + "]";
      Optional<User> user = MappingReader.of(item, itemPath, problems, KEYS).flatMap(UsersSection::user);
      if (user.isEmpty()) {
        continue;
      }
      Integer first = seen.putIfAbsent(user.get().name(), Problems.line(item));
      if (first != null) {
        problems.add(item, itemPath + ".name", "user " + user.get().name() + " is listed twice (first on line "
            + first + ")");
        continue;
      }
      users.add(user.get());
    }
    return users;
  }

  private static Optional<User> user(MappingReader m) {
    int before = m.problems().size();
    Optional<String> name = m.requiredString("name").flatMap(s -> m.convert("name", s, n -> checked(n, NAME,
        "is not a user name (lower-case letters, digits, _ and -, at most 32)")));
    List<String> groups = m.read("groups", false, (n, p, pr) -> Scalars.strings(n, p, pr, false)).orElse(List.of());
    for (String g : groups) {
      m.convert("groups", g, n -> checked(n, NAME, "is not a group name"));
    }
    List<String> keys = m.read("ssh_authorized_keys", false, (n, p, pr) -> Scalars.strings(n, p, pr, false))
        .orElse(List.of());
    for (int i = 0; i < keys.size(); i++) {
      m.convert("ssh_authorized_keys", keys.get(i), k -> checked(k.strip(), KEY,
          "is not an SSH public key (type base64 [comment], e.g. ssh-ed25519 AAAA... me@host)"));
    }
    if (m.problems().size() > before || name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new User(name.get(), groups, keys.stream().map(String::strip).toList()));
  }

  private static String checked(String value, Pattern pattern, String problem) {
    if (!pattern.matcher(value).matches()) {
      String shown = value.length() > 40 ? value.substring(0, 37) + "..." : value;
      throw new IllegalArgumentException("'" + shown + "' " + problem);
    }
    return value;
  }
}
