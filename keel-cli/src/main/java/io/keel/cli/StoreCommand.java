package io.keel.cli;

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

  @Mixin
  DiscoveryOptions discovery = new DiscoveryOptions();

  @Mixin
  ClientTlsOptions tls = new ClientTlsOptions();

  @Mixin
  EtcdLogOptions logging = new EtcdLogOptions();

  @Override
  public Integer call() throws Exception {
    logging.check();
    options.clientTls = tls.client();
    options.peerTls = tls.peer();
    Daemon.run(StoreMember.config(options, discovery, Path.of(options.name + ".etcd")), "keel store");
    return 0;
  }
}
