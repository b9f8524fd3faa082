package io.keel.cli;

import io.keel.cli.config.MachineConfig;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.store.server.StoreConfig;
import io.keel.store.server.StoreServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keel node}: a machine of the cluster (presence, engine candidate, API) on a store. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run a machine of the cluster: register it, stand as engine candidate, serve the fleet API.")
final class NodeCommand implements Callable<Integer> {
  @Option(names = "--endpoints", defaultValue = "http://127.0.0.1:2379",
      description = "Store endpoints, host:port or http://host:port, comma-separated (default: ${DEFAULT-VALUE}).")
  String endpoints;

  @Option(names = "--data-dir", defaultValue = "keel-node",
      description = "Where the node keeps its machine id (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Mixin
  NodeOptions options = new NodeOptions();

  @Mixin
  LifecycleOptions lifecycle = new LifecycleOptions();

  @Option(names = "--config", paramLabel = "FILE",
      description = "A cloud-config machine file (docs/cloud-config.md): validated whole before anything starts; its settings are flags, overridden by flags given after it.")
  Path config;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** Set when this command runs the flags of a machine file: its units are applied once the node is up. */
  private MachineFile machineFile;

  @Override
  public Integer call() throws Exception {
    if (config != null) {
      MachineFile file = MachineFile.read(config);
      NodeCommand withFile = new NodeCommand();
      withFile.machineFile = file;
      return file.rerun(spec, MachineConfig::nodeArgs, withFile);
    }
    StoreEndpoints store = StoreEndpoints.parse(endpoints);
    lifecycle.validate();
    NodeLifecycle.Boot boot = NodeLifecycle.boot(dataDir, version());
    Optional<StoreConfig> memberConfig = machineFile == null ? Optional.empty() : machineFile.storeMember(dataDir);
    StoreServer member = memberConfig.isPresent() ? StoreServer.start(memberConfig.get()) : null;
    if (member != null && member.removed().isDone()) {
      member.close();
      throw new IllegalStateException("store member '" + memberConfig.get().name() + "' has been"
          + " permanently removed from the cluster; its data dir "
          + memberConfig.get().dataDir() + " must be removed before it can be added again");
    }
    if (member != null && !spec.commandLine().getParseResult().hasMatchedOption("--endpoints")) {
      store = new StoreEndpoints(memberConfig.get().advertiseClientUrls());
    }
    NodeRuntime started = null;
    NodeLifecycle running;
    try {
      started = NodeRuntime.start(store, options, dataDir, boot.version());
      running = NodeLifecycle.start(started, boot, lifecycle, dataDir);
    } catch (RuntimeException | IOException e) {
      if (started != null) {
        started.close();
      }
      if (member != null) {
        member.close();
      }
      throw e;
    }
    NodeRuntime node = started;
    if (machineFile != null) {
      machineFile.applyUnits(node.apiUrl());
    }
    awaitShutdown(() -> {
      try {
        running.close();
        node.close();
      } finally {
        if (member != null) {
          member.close();
        }
      }
    }, "keel node: machine " + node.machine().id() + " (" + node.machine().publicIP()
        + ") version " + boot.version() + " on store " + store
        + (member != null ? " (runs store member '" + memberConfig.get().name() + "')" : "")
        + "; API on " + node.apiUrl());
    return 0;
  }

  static String version() {
    String v = Keel.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Prints {@code ready}, then blocks until SIGTERM/SIGINT and closes {@code node}. */
  static void awaitShutdown(AutoCloseable node, String ready) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        System.err.println("keel: error while stopping: " + e.getMessage());
      } finally {
        stopped.countDown();
      }
    }, "keel-node-shutdown"));
    System.out.println(ready);
    System.out.flush();
    stopped.await();
  }
}
