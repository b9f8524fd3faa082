package io.keel.cli.config;

import io.keel.cli.config.MachineConfig.NodeSettings;
import io.keel.lifecycle.locksmith.RebootWindow;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Maps the {@code keel:} section to {@code keel node} / {@code keel up} flags. */
final class NodeArgs {
  private NodeArgs() {}

  static List<String> forNode(NodeSettings n) {
    List<String> args = new ArrayList<>();
    if (!n.endpoints().isEmpty()) {
      args.add("--endpoints=" + String.join(",", n.endpoints()));
    }
    n.dataDir().ifPresent(d -> args.add("--data-dir=" + d));
    machine(n, args);
    n.update().ifPresent(u -> {
      u.server().ifPresent(s -> args.add("--update-server=" + s));
      u.channel().ifPresent(c -> args.add("--update-channel=" + c.id()));
      u.publicKey().ifPresent(k -> args.add("--update-public-key=" + k));
      u.checkInterval().ifPresent(d -> args.add("--update-check-interval=" + Durations.format(d)));
      u.healthTimeout().ifPresent(d -> args.add("--health-timeout=" + Durations.format(d)));
    });
    n.reboot().ifPresent(r -> {
      r.strategy().ifPresent(s -> args.add("--reboot-strategy=" + s.text()));
      r.window().ifPresent(w -> {
        args.add("--reboot-window-start=" + windowStart(w));
        args.add("--reboot-window-length=" + Durations.format(w.length()));
      });
      r.group().ifPresent(g -> args.add("--reboot-group=" + g));
      r.drainTimeout().ifPresent(d -> args.add("--drain-timeout=" + Durations.format(d)));
    });
    return List.copyOf(args);
  }

  static List<String> forUp(NodeSettings n) {
    List<String> refused = new ArrayList<>();
    if (!n.endpoints().isEmpty()) {
      refused.add("keel.endpoints");
    }
    n.dataDir().ifPresent(d -> refused.add("keel.data-dir"));
    n.update().ifPresent(u -> refused.add("keel.update"));
    n.reboot().ifPresent(r -> refused.add("keel.reboot"));
    if (!refused.isEmpty()) {
      throw new IllegalStateException("keel up runs its own store and does not update or reboot: "
          + String.join(", ", refused) + " only apply to keel node");
    }
    List<String> args = new ArrayList<>();
    machine(n, args);
    return List.copyOf(args);
  }

  private static void machine(NodeSettings n, List<String> args) {
    n.machineId().ifPresent(id -> args.add("--machine-id=" + id));
    if (!n.metadata().isEmpty()) {
      args.add("--metadata=" + pairs(n.metadata()));
    }
    n.capacity().ifPresent(c -> {
      List<String> parts = new ArrayList<>();
      c.cpu().ifPresent(v -> parts.add("cpu=" + v));
      c.memory().ifPresent(v -> parts.add("memory=" + v));
      if (!parts.isEmpty()) {
        args.add("--capacity=" + String.join(",", parts));
      }
    });
    n.publicIp().ifPresent(ip -> args.add("--public-ip=" + ip));
    n.apiListen().ifPresent(l -> args.add("--api-listen=" + l));
    n.agentTtl().ifPresent(d -> args.add("--agent-ttl=" + Durations.format(d)));
    n.reconcileInterval().ifPresent(d -> args.add("--engine-reconcile-interval=" + Durations.format(d)));
    n.agent().ifPresent(a -> args.add(a ? "--agent" : "--no-agent"));
    n.dockerHost().ifPresent(h -> args.add("--docker-host=" + h));
  }

  private static String pairs(Map<String, String> map) {
    return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  static String windowStart(RebootWindow w) {
    String time = String.format("%02d:%02d", w.start().getHour(), w.start().getMinute());
    return w.day().map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + time).orElse(time);
  }
}
