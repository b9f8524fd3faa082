package io.keel.cli.config;

import io.keel.cli.config.MachineConfig.Capacity;
import io.keel.cli.config.MachineConfig.NodeSettings;
import io.keel.cli.config.MachineConfig.Reboot;
import io.keel.cli.config.MachineConfig.Update;
import io.keel.cluster.node.MachineId;
import io.keel.cluster.node.MachineSpec;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.lifecycle.locksmith.LockKeys;
import io.keel.lifecycle.locksmith.RebootWindow;
import io.keel.lifecycle.locksmith.Strategy;
import io.keel.lifecycle.update.Channel;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/** The {@code keel:} section. */
final class NodeSection {
  static final Set<String> KEYS = Set.of("endpoints", "data-dir", "machine-id", "metadata",
      "capacity", "public-ip", "api-listen", "agent-ttl", "engine-reconcile-interval", "agent", "docker-host",
      "update", "reboot");
  static final Set<String> UPDATE_KEYS = Set.of("server", "channel", "public-key", "check-interval",
      "health-timeout");
  static final Set<String> REBOOT_KEYS = Set.of("strategy", "window-start", "window-length", "group",
      "drain-timeout");
  static final Set<String> CAPACITY_KEYS = Set.of("cpu", "memory");

  private NodeSection() {}

  static NodeSettings read(Node node, String path, Problems problems) {
    Optional<MappingReader> reader = MappingReader.of(node, path, problems, KEYS);
    if (reader.isEmpty()) {
      return NodeSettings.NONE;
    }
    MappingReader m = reader.get();
    List<String> endpoints = endpoints(m);
    Optional<Duration> agentTtl = m.parsed("agent-ttl", Durations::parse);
    agentTtl.filter(d -> d.toSeconds() < 1).ifPresent(d -> m.error("agent-ttl", "must be at least 1s"));
    return new NodeSettings(endpoints, m.string("data-dir"),
        m.parsed("machine-id", MachineId::validate), metadata(m), capacity(m),
        m.string("public-ip"), m.parsed("api-listen", NodeSection::hostPort), agentTtl,
        m.parsed("engine-reconcile-interval", Durations::parse), m.read("agent", false, Scalars::bool),
        m.string("docker-host"), update(m), reboot(m));
  }

  private static List<String> endpoints(MappingReader m) {
    List<String> endpoints = m.read("endpoints", false, (n, p, pr) -> Scalars.strings(n, p, pr, true))
        .orElse(List.of());
    List<String> valid = new ArrayList<>();
    for (String e : endpoints) {
      m.convert("endpoints", e, NodeSection::endpoint).ifPresent(valid::add);
    }
    return valid.size() == endpoints.size() ? valid : List.of();
  }

  private static Map<String, String> metadata(MappingReader m) {
    Map<String, String> metadata = new LinkedHashMap<>();
    m.get("metadata").flatMap(n -> MappingReader.of(n, m.child("metadata"), m.problems(), null)).ifPresent(md -> {
      for (String key : md.entries().keySet()) {
        md.string(key).ifPresent(value -> {
          if (value.contains(",")) {
            md.error(key, "metadata values cannot contain ','");
            return;
          }
          md.convert(key, value, v -> spec(v, key + "=" + v, MachineSpec::parseMetadata))
              .ifPresent(v -> metadata.put(key, v));
        });
      }
    });
    return metadata;
  }

  private static Optional<Capacity> capacity(MappingReader m) {
    return m.get("capacity").flatMap(n -> MappingReader.of(n, m.child("capacity"), m.problems(), CAPACITY_KEYS))
        .map(c -> new Capacity(
            c.string("cpu").flatMap(v -> c.convert("cpu", v, s -> spec(s, "cpu=" + s, MachineSpec::parseCapacity))),
            c.string("memory").flatMap(v -> c.convert("memory", v,
                s -> spec(s, "memory=" + s, MachineSpec::parseCapacity)))));
  }

  private static Optional<Update> update(MappingReader m) {
    return m.get("update").flatMap(n -> MappingReader.of(n, m.child("update"), m.problems(), UPDATE_KEYS))
        .map(u -> {
          Optional<URI> server = u.parsed("server", NodeSection::httpUrl);
          Optional<Path> key = u.parsed("public-key", Path::of);
          if (u.has("server") && !u.has("public-key")) {
            u.error("server needs public-key to verify releases");
          }
          return new Update(server, u.parsed("channel", Channel::parse), key,
              u.parsed("check-interval", Durations::parse), u.parsed("health-timeout", Durations::parse));
        });
  }

  private static Optional<Reboot> reboot(MappingReader m) {
    return m.get("reboot").flatMap(n -> MappingReader.of(n, m.child("reboot"), m.problems(), REBOOT_KEYS))
        .map(r -> {
          Optional<String> start = r.string("window-start");
          Optional<String> length = r.string("window-length");
          Optional<RebootWindow> window = Optional.empty();
          if (start.isPresent() && length.isPresent()) {
            window = r.convert("window-start", start.get(), s -> RebootWindow.parse(s, length.get()));
          } else if (r.has("window-start") != r.has("window-length")) {
            r.error("window-start and window-length go together");
          }
          return new Reboot(r.parsed("strategy", Strategy::parse), window,
              r.parsed("group", LockKeys::validGroup), r.parsed("drain-timeout", Durations::parse));
        });
  }

  private static String endpoint(String text) {
    if (text.contains(",")) {
      throw new IllegalArgumentException("'" + text + "': list one endpoint per item");
    }
    StoreEndpoints.parse(text);
    return text;
  }

  /** Runs a MachineSpec check on {@code flagText}, dropping the flag name from its message. */
  private static String spec(String value, String flagText, java.util.function.Function<String, ?> check) {
    try {
      check.apply(flagText);
      return value;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replaceFirst("^--[a-z-]+ ", ""));
    }
  }

  private static URI httpUrl(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("'" + text + "' is not an http:// or https:// URL");
    }
    return uri;
  }

  private static String hostPort(String text) {
    String value = text.startsWith("http://") ? text.substring("http://".length()) : text;
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not host:port");
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no valid port");
    }
    return text;
  }
}
