package io.keel.cli;

import io.keel.store.server.StoreConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code keel up}: the embedded default, for now a single-member store under ./keel-data. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start Keel on this machine: a single-member store (data in ./keel-data).")
final class UpCommand implements Callable<Integer> {
  @Mixin
  StoreOptions options = new StoreOptions();

  @Override
  public Integer call() throws Exception {
    StoreConfig config = options.toConfig(Path.of("keel-data"));
    Daemon.run(config, "keel up");
    return 0;
  }
}
