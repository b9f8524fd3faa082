package io.keel.cli;

import io.keel.api.Schema;
import io.keel.api.client.FleetClient;
import io.keel.cli.fleet.FleetVerb;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.store.server.StoreConfig;
import io.keel.store.server.StoreServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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
  List<Path> units = List.of();

  private static final Duration SETTLE = Duration.ofSeconds(30);

  @Option(names = "--config", paramLabel = "FILE",
      description = "A cloud-config machine file (docs/cloud-config.md); keel up takes its machine settings, store section, units, files and users, and refuses keel.endpoints, keel.data-dir, keel.update and keel.reboot. Flags given after it win.")
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
      return file.rerun(spec, c -> Stream.concat(c.upArgs().stream(), c.storeArgs().stream()).toList(), withFile);
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
  private static void awaitSettled(String api, List<String> names) {
    FleetClient fleet = new FleetClient(api, Duration.ofSeconds(5));
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Set<String> settled = fleet.states().stream()
            .filter(s -> "active".equals(s.systemdActiveState()) || "failed".equals(s.systemdActiveState()))
            .map(Schema.UnitState::name).collect(Collectors.toSet());
        if (settled.containsAll(names)) {
          return;
        }
      } catch (RuntimeException e) {
        // the API is local and up; a failed call is retried until the deadline
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }

  /** Starts the given unit files through the node's own API; the unit list afterwards, or "". */
  private String startUnits(String api) {
    if (units.isEmpty()) {
      return "";
    }
    String[] start = Stream.concat(Stream.of("start", "--endpoint", api),
        units.stream().map(Path::toString)).toArray(String[]::new);
    if (Keel.commandLine().execute(start) != 0) {
      return "\nsome units did not start; see `keel list-units` and `keel status UNIT`";
    }
    awaitSettled(api, units.stream().map(u -> FleetVerb.mangle(u.toString())).toList());
    StringWriter listed = new StringWriter();
    Keel.commandLine().setOut(new PrintWriter(listed)).execute("list-units", "--endpoint", api);
    return "\n" + listed.toString().stripTrailing();
  }
}
