package io.keel.cli;

import io.keel.cli.config.MachineConfig;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.store.server.StoreConfig;
import io.keel.store.server.StoreServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code keel up}: the embedded default: a single-member store under ./keel-data and a node on it
 * (machine presence, engine, fleet API), in one process.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start Keel on this machine: a single-member store (data in ./keel-data) and a node on it.")
final class UpCommand implements Callable<Integer> {
  @Mixin
  StoreOptions options = new StoreOptions();

  @Mixin
  DiscoveryOptions discovery = new DiscoveryOptions();

  @Mixin
  NodeOptions node = new NodeOptions();

  @Parameters(paramLabel = "UNIT", arity = "0..*",
      description = "Unit files to submit and start once Keel is up (as `keel start` would); their state is printed.")
  java.util.List<Path> units = java.util.List.of();

  private static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(30);

  @Option(names = "--config", paramLabel = "FILE",
      description = "A cloud-config machine file (docs/cloud-config.md); keel up takes its machine settings, units, files and users, and refuses endpoints, discovery, data-dir, update and reboot. Flags given after it win.")
  Path config;

  @Spec
  CommandSpec spec;

  /** Set when this command runs the flags of a machine file: its units are applied once Keel is up. */
  private MachineFile machineFile;

  @Override
  public Integer call() throws Exception {
    if (config != null) {
      MachineFile file = MachineFile.read(config);
      UpCommand withFile = new UpCommand();
      withFile.machineFile = file;
      return file.rerun(spec, c -> java.util.stream.Stream.concat(c.upArgs().stream(), c.storeArgs().stream()).toList(),
          withFile);
    }
    StoreConfig config = StoreMember.config(options, discovery, Path.of("keel-data"));
    StoreServer server = StoreServer.start(config);
    NodeRuntime runtime;
    StoreEndpoints endpoints = new StoreEndpoints(config.advertiseClientUrls());
    try {
      runtime = NodeRuntime.start(endpoints, node, config.dataDir().resolve("node"), NodeCommand.version());
    } catch (RuntimeException | IOException e) {
      server.close();
      throw e;
    }
    if (machineFile != null) {
      machineFile.applyUnits(runtime.apiUrl());
    }
    String started = startUnits(runtime.apiUrl());
    String urls = config.advertiseClientUrls().stream().map(URI::toString).collect(Collectors.joining(","));
    NodeCommand.awaitShutdown(() -> {
      try {
        runtime.close();
      } finally {
        server.close();
      }
    }, "keel up: store member '" + config.name() + "' ready; data in " + config.dataDir().toAbsolutePath()
        + "; clients connect to " + urls + " (e.g. ETCDCTL_API=3 etcdctl --endpoints=" + urls
        + " put hello world); machine " + runtime.machine().id() + "; API on " + runtime.apiUrl() + started);
    return 0;
  }

  /**
   * Waits (at most {@link #SETTLE}) until each of {@code names} is active or failed on its machine,
   * so the list printed shows what became of them rather than the moment the agent got them.
   */
  private static void awaitSettled(String api, java.util.List<String> names) {
    io.keel.api.client.FleetClient fleet = new io.keel.api.client.FleetClient(api, java.time.Duration.ofSeconds(5));
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        java.util.Set<String> settled = fleet.states().stream()
            .filter(s -> "active".equals(s.systemdActiveState()) || "failed".equals(s.systemdActiveState()))
            .map(io.keel.api.Schema.UnitState::name).collect(java.util.stream.Collectors.toSet());
        if (settled.containsAll(names)) {
          return;
        }
      } catch (RuntimeException e) {
        // the API is local and up; a failed call is retried until the deadline
      }
      java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(100).toNanos());
    }
  }

  /** Starts the given unit files through the node's own API; the unit list afterwards, or "". */
  private String startUnits(String api) {
    if (units.isEmpty()) {
      return "";
    }
    String[] start = java.util.stream.Stream.concat(java.util.stream.Stream.of("start", "--endpoint", api),
        units.stream().map(Path::toString)).toArray(String[]::new);
    if (Keel.commandLine().execute(start) != 0) {
      return "\nsome units did not start; see `keel list-units` and `keel status UNIT`";
    }
    awaitSettled(api, units.stream().map(u -> u.getFileName().toString())
        .map(n -> n.contains(".") ? n : n + ".service").toList());
    java.io.StringWriter listed = new java.io.StringWriter();
    Keel.commandLine().setOut(new java.io.PrintWriter(listed)).execute("list-units", "--endpoint", api);
    return "\n" + listed.toString().stripTrailing();
  }
}
