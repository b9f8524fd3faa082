package io.keel.cli.config;

import io.keel.cluster.registry.StoreEndpoints;
import io.keel.store.server.StoreConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The {@code store:} section: a store member run by this machine (CoreOS's {@code etcd2:} section).
 * Each key is the {@code keel store} flag of the same name; lists are joined with commas as the
 * flags take them.
 */
final class StoreSection {
  private static final Map<String, Function<String, ?>> CHECKS = new LinkedHashMap<>();

  static {
    CHECKS.put("name", StoreSection::plainWord);
    CHECKS.put("data-dir", s -> s);
    for (String urls : List.of("listen-client-urls", "advertise-client-urls", "listen-peer-urls",
        "initial-advertise-peer-urls")) {
      CHECKS.put(urls, s -> plainHttp("--" + urls, StoreConfig.urls("--" + urls, s)));
    }
    CHECKS.put("initial-cluster", s -> {
      var cluster = StoreConfig.cluster(s);
      cluster.values().forEach(u -> plainHttp("--initial-cluster", u));
      return cluster;
    });
    CHECKS.put("initial-cluster-state", StoreSection::clusterState);
    CHECKS.put("initial-cluster-token", StoreSection::plainWord);
    CHECKS.put("discovery-token", StoreSection::plainWord);
    CHECKS.put("discovery-endpoints", StoreEndpoints::parse);
    for (String count : List.of("snapshot-count", "quota-backend-bytes", "max-request-bytes",
        "max-txn-ops", "election-timeout", "heartbeat-interval")) {
      CHECKS.put(count, StoreSection::count);
    }
    CHECKS.put("auto-compaction-mode", StoreSection::compactionMode);
    CHECKS.put("auto-compaction-retention", StoreSection::plainWord);
  }

  /** A machine file's store takes no TLS files, so its URLs are plain http://. */
  private static List<java.net.URI> plainHttp(String flag, List<java.net.URI> urls) {
    for (var url : urls) {
      if (!url.getScheme().equals("http")) {
        throw new IllegalArgumentException(flag + ": '" + url + "' must use http:// (TLS needs"
            + " keel store's --cert-file and --key-file, which machine files do not take)");
      }
    }
    return urls;
  }

  /** Keys whose value may be a list. */
  private static final List<String> LISTS = List.of("listen-client-urls", "advertise-client-urls",
      "listen-peer-urls", "initial-advertise-peer-urls", "initial-cluster", "discovery-endpoints");

  private StoreSection() {}

  /** The {@code keel store} flags ({@code --key=value}) the section stands for, in file order. */
  static List<String> read(Node node, String path, Problems problems) {
    Optional<MappingReader> reader = MappingReader.of(node, path, problems, CHECKS.keySet());
    if (reader.isEmpty()) {
      return List.of();
    }
    MappingReader m = reader.get();
    List<String> args = new ArrayList<>();
    for (String key : m.entries().keySet()) {
      Optional<String> value = LISTS.contains(key)
          ? m.read(key, false, (n, p, pr) -> Scalars.strings(n, p, pr, true)).map(l -> String.join(",", l))
          : m.string(key);
      value.flatMap(v -> m.convert(key, v, s -> check(key, s))).ifPresent(v -> args.add("--" + key + "=" + v));
    }
    if (m.has("discovery-token") != m.has("discovery-endpoints")) {
      m.error("discovery-token and discovery-endpoints go together");
    }
    if (m.has("discovery-token") && m.has("initial-cluster")) {
      m.error("initial-cluster", "give initial-cluster or discovery-token, not both");
    }
    return List.copyOf(args);
  }

  /** Runs the key's check; its message loses the flag name the store's parsers prefix. */
  private static String check(String key, String value) {
    try {
      CHECKS.get(key).apply(value);
      return value;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replaceFirst("^--[a-z-]+:? ", ""));
    }
  }

  private static String compactionMode(String s) {
    if (!s.equals("periodic") && !s.equals("revision")) {
      throw new IllegalArgumentException("'" + s + "' must be periodic or revision");
    }
    return s;
  }

  private static String plainWord(String s) {
    if (!s.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw new IllegalArgumentException("'" + s + "' may hold only letters, digits and _.-");
    }
    return s;
  }

  private static String clusterState(String s) {
    if (!s.equals("new") && !s.equals("existing")) {
      throw new IllegalArgumentException("'" + s + "' is not new or existing");
    }
    return s;
  }

  private static long count(String s) {
    try {
      long n = Long.parseLong(s);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("'" + s + "' is not a whole number of at least 0");
  }
}
