package io.keel.cli;

import io.keel.cli.discovery.DiscoveryConfig;
import io.keel.cli.discovery.DiscoveryRecord;
import io.keel.cli.discovery.EtcdDiscovery;
import io.keel.store.server.MemberIdentity;
import io.keel.store.server.StoreConfig;
import io.keel.store.server.StoreServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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

  @Override
  public Integer call() throws Exception {
    Path defaultDataDir = Path.of(options.name + ".etcd");
    Optional<DiscoveryConfig> discover = discovery.toConfig(options);
    StoreConfig config = discover.isPresent()
        ? discovered(discover.get(), options.dataDir(defaultDataDir))
        : options.toConfig(defaultDataDir);
    Daemon.run(config, "keel store");
    return 0;
  }

  /**
   * The config of a member bootstrapped by discovery. As in etcd, the discovery token is the
   * cluster token, and a member whose data dir already holds its cluster ignores discovery.
   */
  private StoreConfig discovered(DiscoveryConfig discover, Path dataDir)
      throws InterruptedException {
    Optional<DiscoveryRecord> recorded = DiscoveryRecord.read(dataDir);
    if (recorded.isPresent()) {
      System.out.println("keel store: data dir " + dataDir + " already holds the cluster"
          + " discovered with token '" + recorded.get().token() + "'; not asking the discovery"
          + " service again");
      return options.toConfig(dataDir, StoreConfig.cluster(recorded.get().initialCluster()),
          recorded.get().token());
    }
    if (StoreServer.holdsMember(dataDir)) {
      throw new IllegalArgumentException("data dir " + dataDir + " holds a member that was not"
          + " bootstrapped by discovery; restart it with its --initial-cluster flags");
    }
    List<URI> peers = options.advertisePeerUrls();
    long id = MemberIdentity.memberId(peers.stream().map(URI::toString).toList(),
        discover.token());
    String self = peers.stream().map(u -> options.name + "=" + u)
        .collect(Collectors.joining(","));
    String cluster = EtcdDiscovery.join(discover, id, self);
    StoreConfig config = options.toConfig(dataDir, StoreConfig.cluster(cluster), discover.token());
    new DiscoveryRecord(discover.token(), cluster).write(dataDir);
    return config;
  }
}
