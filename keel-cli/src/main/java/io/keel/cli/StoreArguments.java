package io.keel.cli;

import io.keel.cli.config.EtcdConfigFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The flags {@code keel store} runs with, from etcd's three sources as etcd takes them: a config
 * file ({@code --config-file}, or {@code ETCD_CONFIG_FILE}) when one is given, and then nothing
 * else; otherwise the command line, with {@code ETCD_*} environment variables for the flags it
 * leaves out.
 */
final class StoreArguments {
  static final String CONFIG_FILE = "--config-file";

  /**
   * The arguments after {@code store}, what to log about them (as etcd logs it), and where each
   * flag that did not come from the command line came from (for error messages).
   */
  record Resolved(List<String> args, List<String> warnings, List<String> infos,
      Map<String, String> sources) {}

  private StoreArguments() {}

  /**
   * @param args the arguments after {@code store}
   * @param flags every flag {@code keel store} takes
   */
  static Resolved resolve(List<String> args, Map<String, String> env, Set<String> flags)
      throws IOException {
    Optional<String> configFile = value(args, CONFIG_FILE)
        .or(() -> Optional.ofNullable(env.get(EtcdEnvironment.variableOf(CONFIG_FILE))))
        .filter(file -> !file.isBlank());
    if (configFile.isPresent()) {
      return fromFile(Path.of(configFile.get()), args, flags);
    }
    var applied = EtcdEnvironment.apply(args, env, flags);
    Map<String, String> sources = new HashMap<>();
    applied.fromVariables().forEach((flag, variable) ->
        sources.put(flag, "environment variable " + variable));
    List<String> infos = applied.used().stream()
        .map(used -> "recognized and used environment variable " + used).toList();
    return new Resolved(applied.args(), applied.warnings(), infos, Map.copyOf(sources));
  }

  private static Resolved fromFile(Path file, List<String> args, Set<String> flags)
      throws IOException {
    Set<String> settable = new HashSet<>(flags);
    settable.remove(CONFIG_FILE);
    var read = EtcdConfigFile.read(file, settable);
    List<String> ignored = ignoredFlags(args);
    String loaded = "loaded server configuration from " + file + "; other command-line flags and"
        + " environment variables are ignored, as etcd ignores them"
        + (ignored.isEmpty() ? "" : " (ignored: " + String.join(" ", ignored) + ")");
    List<String> resolved = new ArrayList<>(read.args());
    if (args.contains("--help") || args.contains("-h")) {
      resolved.add("--help");
    }
    return new Resolved(List.copyOf(resolved), read.warnings(), List.of(loaded), read.sources());
  }

  /** The flags given besides the config file, by name. */
  private static List<String> ignoredFlags(List<String> args) {
    List<String> ignored = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals(CONFIG_FILE)) {
        i++;
      } else if (arg.startsWith("--") && !arg.startsWith(CONFIG_FILE + "=")) {
        ignored.add(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg);
      }
    }
    return ignored;
  }

  /** The value of {@code --flag value} or {@code --flag=value}, if given. */
  static Optional<String> value(List<String> args, String flag) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        break;
      }
      if (arg.startsWith(flag + "=")) {
        return Optional.of(arg.substring(flag.length() + 1));
      }
      if (arg.equals(flag) && i + 1 < args.size()) {
        return Optional.of(args.get(i + 1));
      }
    }
    return Optional.empty();
  }
}
