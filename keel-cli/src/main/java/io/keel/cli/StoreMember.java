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
import java.util.stream.Collectors;

/** The config of a store member from its flags, bootstrapping its cluster by discovery if asked. */
final class StoreMember {
  private StoreMember() {}

  /** Checks the flags as {@link #config} would, without asking a discovery service anything. */
  static void check(StoreOptions options, DiscoveryOptions discovery, Path defaultDataDir) {
    discovery.toConfig(options);
    options.toConfig(defaultDataDir);
  }

  /**
   * The member's config; with discovery flags, the cluster found by discovery (which may wait for
   * the other members to register).
   */
  static StoreConfig config(StoreOptions options, DiscoveryOptions discovery, Path defaultDataDir)
      throws InterruptedException {
    Optional<DiscoveryConfig> discover = discovery.toConfig(options);
    return discover.isPresent()
        ? discovered(options, discover.get(), options.dataDir(defaultDataDir))
        : options.toConfig(defaultDataDir);
  }

  /**
   * The config of a member bootstrapped by discovery. As in etcd, the discovery token is the
   * cluster token, and a member whose data dir already holds its cluster ignores discovery.
   */
  private static StoreConfig discovered(StoreOptions options, DiscoveryConfig discover, Path dataDir)
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
