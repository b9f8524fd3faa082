package io.keel.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * etcd's environment variables for {@code keel store}: {@code ETCD_DATA_DIR=/var/lib/etcd} stands
 * for {@code --data-dir=/var/lib/etcd}, as etcd reads every flag from {@code ETCD_} plus the
 * flag's name in capitals with {@code _} for {@code -}. As in etcd 3.4, a variable whose flag is
 * also on the command line is an error, and a variable that names no flag is reported and ignored;
 * the messages are etcd's.
 */
final class EtcdEnvironment {
  static final String PREFIX = "ETCD_";

  /**
   * The arguments with the flags the environment sets.
   *
   * @param warnings variables that name no flag
   * @param used the variables used, as {@code NAME=value}
   * @param fromVariables each flag set from the environment, with the variable that set it
   */
  record Applied(List<String> args, List<String> warnings, List<String> used,
      Map<String, String> fromVariables) {}

  private EtcdEnvironment() {}

  /**
   * Puts the flags set by {@code env} before {@code args} (the arguments after {@code store}).
   *
   * @param flags every flag {@code keel store} takes, such as {@code --data-dir}
   * @throws IllegalArgumentException if a variable's flag is also on the command line
   */
  static Applied apply(List<String> args, Map<String, String> env, Set<String> flags) {
    List<String> fromEnv = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> used = new ArrayList<>();
    Map<String, String> fromVariables = new TreeMap<>();
    for (var variable : new TreeMap<>(env).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String flag = flagOf(name);
      if (!flags.contains(flag)) {
        warnings.add("unrecognized environment variable " + name + "=" + variable.getValue());
      } else if (given(args, flag)) {
        throw new IllegalArgumentException("conflicting environment variable \"" + name
            + "\" is shadowed by corresponding command-line flag (either unset environment"
            + " variable or disable flag)");
      } else {
        fromEnv.add(flag + "=" + variable.getValue());
        fromVariables.put(flag, name);
        used.add(name + "=" + variable.getValue());
      }
    }
    List<String> all = new ArrayList<>(fromEnv);
    all.addAll(args);
    return new Applied(List.copyOf(all), List.copyOf(warnings), List.copyOf(used),
        Map.copyOf(fromVariables));
  }

  /** {@code ETCD_INITIAL_CLUSTER_STATE} to {@code --initial-cluster-state}. */
  static String flagOf(String variable) {
    return "--" + variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** {@code --data-dir} to {@code ETCD_DATA_DIR}. */
  static String variableOf(String flag) {
    return PREFIX + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** Whether {@code flag} is among the arguments, as {@code --flag value} or {@code --flag=value}. */
  static boolean given(List<String> args, String flag) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals(flag) || arg.startsWith(flag + "=")) {
        return true;
      }
    }
    return false;
  }
}
