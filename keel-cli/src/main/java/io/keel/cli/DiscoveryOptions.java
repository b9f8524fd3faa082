package io.keel.cli;

import io.keel.cli.discovery.DiscoveryConfig;
import io.keel.cli.discovery.DiscoveryKeys;
import io.keel.cluster.registry.StoreEndpoints;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** etcd 3.6's v3 discovery flags, with etcd's names and defaults. */
final class DiscoveryOptions {
  @Option(names = "--discovery-token",
      description = "V3 discovery: token of the cluster to bootstrap. The size is read from "
          + DiscoveryKeys.PREFIX + "/<token>/_config/size on --discovery-endpoints; the first"
          + " <size> members to register form the cluster, later ones are refused as full.")
  String token;

  @Option(names = "--discovery-endpoints",
      description = "V3 discovery: host:port,... of the etcd v3 service (a Keel store or etcd)"
          + " holding the registry.")
  String endpoints;

  @Option(names = "--discovery-dial-timeout", defaultValue = DiscoveryConfig.DIAL_TIMEOUT_DEFAULT,
      converter = DurationConverter.class,
      description = "V3 discovery: dial timeout for client connections"
          + " (default: ${DEFAULT-VALUE}).")
  Duration dialTimeout;

  @Option(names = "--discovery-request-timeout",
      defaultValue = DiscoveryConfig.REQUEST_TIMEOUT_DEFAULT, converter = DurationConverter.class,
      description = "V3 discovery: timeout for discovery requests, excluding the dial timeout"
          + " (default: ${DEFAULT-VALUE}).")
  Duration requestTimeout;

  /** The discovery to run, if the flags ask for one; refuses flags that contradict it. */
  Optional<DiscoveryConfig> toConfig(StoreOptions store) {
    if (token == null && endpoints == null) {
      return Optional.empty();
    }
    if (endpoints == null) {
      throw new IllegalArgumentException("--discovery-token needs --discovery-endpoints");
    }
    if (token == null) {
      throw new IllegalArgumentException("--discovery-endpoints needs --discovery-token");
    }
    if (store.initialCluster != null) {
      throw new IllegalArgumentException("--discovery-token and --initial-cluster both bootstrap"
          + " the cluster; give only one (etcd: multiple discovery or bootstrap flags are set)");
    }
    if (!"new".equals(store.initialClusterState)) {
      throw new IllegalArgumentException("--discovery-token bootstraps a new cluster; it cannot"
          + " be used with --initial-cluster-state " + store.initialClusterState);
    }
    if (endpoints.replace(",", "").isBlank()) {
      throw new IllegalArgumentException("--discovery-endpoints names no endpoint");
    }
    StoreEndpoints parsed;
    try {
      parsed = StoreEndpoints.parse(endpoints);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--discovery-endpoints: " + e.getMessage(), e);
    }
    return Optional.of(new DiscoveryConfig(token, parsed, dialTimeout, requestTimeout));
  }
}
