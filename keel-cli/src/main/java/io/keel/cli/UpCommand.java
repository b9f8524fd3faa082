package io.keel.cli;

import io.keel.cluster.registry.StoreEndpoints;
import io.keel.store.server.StoreConfig;
import io.keel.store.server.StoreServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
  NodeOptions node = new NodeOptions();

  @Override
  public Integer call() throws Exception {
    StoreConfig config = options.toConfig(Path.of("keel-data"));
    StoreServer server = StoreServer.start(config);
    NodeRuntime runtime;
    StoreEndpoints endpoints = new StoreEndpoints(config.advertiseClientUrls());
    try {
      runtime = NodeRuntime.start(endpoints, node, config.dataDir().resolve("node"), NodeCommand.version());
    } catch (RuntimeException | IOException e) {
      server.close();
      throw e;
    }
    String urls = config.advertiseClientUrls().stream().map(URI::toString).collect(Collectors.joining(","));
    NodeCommand.awaitShutdown(() -> {
      try {
        runtime.close();
      } finally {
        server.close();
      }
    }, "keel up: store member '" + config.name() + "' ready; data in " + config.dataDir().toAbsolutePath()
        + "; clients connect to " + urls + " (e.g. ETCDCTL_API=3 etcdctl --endpoints=" + urls
        + " put hello world); machine " + runtime.machine().id() + "; API on " + runtime.apiUrl());
    return 0;
  }
}
