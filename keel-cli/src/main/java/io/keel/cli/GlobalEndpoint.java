package io.keel.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * fleetctl takes {@code --endpoint} before the verb ({@code fleetctl --endpoint URL list-units});
 * Keel's verbs own the option, so a leading one is moved to just after the verb.
 */
final class GlobalEndpoint {
  private static final String FLAG = "--endpoint";

  private GlobalEndpoint() {}

  static String[] afterVerb(String[] args) {
    List<String> leading = new ArrayList<>();
    int i = 0;
    while (i < args.length && (args[i].equals(FLAG) || args[i].startsWith(FLAG + "="))) {
      leading.add(args[i]);
      if (args[i].equals(FLAG) && i + 1 < args.length) {
        leading.add(args[i + 1]);
        i++;
      }
      i++;
    }
    if (leading.isEmpty() || i >= args.length) {
      return args;
    }
    List<String> out = new ArrayList<>();
    out.add(args[i]);
    out.addAll(leading);
    out.addAll(List.of(args).subList(i + 1, args.length));
    return out.toArray(String[]::new);
  }
}
