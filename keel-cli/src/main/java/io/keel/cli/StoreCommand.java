package io.keel.cli;

import io.keel.store.server.StoreConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code keel store}: one store member, a drop-in for an etcd member. */
@Command(name = "store", mixinStandardHelpOptions = true,
    description = "Run a Keel store member (etcd v3 API) with etcd's flags.")
final class StoreCommand implements Callable<Integer> {
  @Mixin
  StoreOptions options = new StoreOptions();

  @Override
  public Integer call() throws Exception {
    StoreConfig config = options.toConfig(Path.of(options.name + ".etcd"));
    Daemon.run(config, "keel store");
    return 0;
  }
}
