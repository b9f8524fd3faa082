package io.keel.cli;

import io.keel.cli.config.Durations;
import io.keel.store.server.AutoCompaction;
import io.keel.store.server.GrpcSettings;
import io.keel.store.server.StoreConfig;
import io.keel.store.server.StoreLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** etcd's member flags, with etcd's names and defaults. */
final class StoreOptions {
  @Option(names = "--name", defaultValue = StoreConfig.NAME_DEFAULT,
      description = "Human-readable name for this member (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--data-dir", description = "Path to the data directory (default: <name>.etcd).")
  Path dataDir;

  @Option(names = "--listen-client-urls", defaultValue = StoreConfig.CLIENT_URL_DEFAULT,
      description = "URLs to listen on for client traffic (default: ${DEFAULT-VALUE}).")
  String listenClientUrls;

  @Option(names = "--advertise-client-urls",
      description = "Client URLs to advertise to the cluster (default: the listen URLs).")
  String advertiseClientUrls;

  @Option(names = "--listen-peer-urls", defaultValue = StoreConfig.PEER_URL_DEFAULT,
      description = "URLs to listen on for peer traffic (default: ${DEFAULT-VALUE}).")
  String listenPeerUrls;

  @Option(names = "--initial-advertise-peer-urls",
      description = "Peer URLs to advertise to the cluster (default: the listen peer URLs).")
  String initialAdvertisePeerUrls;

  @Option(names = "--initial-cluster",
      description = "Initial cluster, name=peer-url,... (default: <name>=<advertise-peer-urls>).")
  String initialCluster;

  @Option(names = "--initial-cluster-state", defaultValue = "new",
      description = "'new' or 'existing' (default: ${DEFAULT-VALUE}).")
  String initialClusterState;

  @Option(names = "--initial-cluster-token", defaultValue = StoreConfig.CLUSTER_TOKEN_DEFAULT,
      description = "Initial cluster token (default: ${DEFAULT-VALUE}).")
  String initialClusterToken;

  @Option(names = "--quota-backend-bytes", defaultValue = "0",
      description = "Backend size that raises the NOSPACE alarm (0: 2 GiB, as etcd).")
  long quotaBackendBytes;

  @Option(names = "--max-request-bytes", defaultValue = "" + StoreLimits.MAX_REQUEST_BYTES_DEFAULT,
      description = "Largest client request accepted (default: ${DEFAULT-VALUE}).")
  int maxRequestBytes;

  @Option(names = "--max-txn-ops", defaultValue = "" + StoreLimits.MAX_TXN_OPS_DEFAULT,
      description = "Most operations in one transaction (default: ${DEFAULT-VALUE}).")
  int maxTxnOps;

  @Option(names = "--snapshot-count", defaultValue = "" + StoreConfig.SNAPSHOT_COUNT_DEFAULT,
      description = "Applied entries between snapshots (default: ${DEFAULT-VALUE}).")
  int snapshotCount;

  @Option(names = "--experimental-watch-progress-notify-interval", defaultValue = "10m",
      converter = DurationConverter.class,
      description = "Interval of watch progress notifications (default: ${DEFAULT-VALUE}).")
  Duration progressNotifyInterval;

  @Option(names = "--election-timeout", defaultValue = "" + StoreConfig.ELECTION_TIMEOUT_MS_DEFAULT,
      description = "Time (in milliseconds) for an election to timeout (default: ${DEFAULT-VALUE}).")
  long electionTimeoutMs;

  @Option(names = "--heartbeat-interval", defaultValue = "" + StoreConfig.HEARTBEAT_INTERVAL_MS_DEFAULT,
      description = "Time (in milliseconds) of a heartbeat interval (default: ${DEFAULT-VALUE}). "
          + "Checked as etcd checks it; Ratis sends heartbeats every 0.35 x --election-timeout.")
  long heartbeatIntervalMs;

  @Option(names = "--auto-compaction-mode", defaultValue = "periodic",
      description = "How --auto-compaction-retention is read: 'periodic' (a duration, hours if it"
          + " has no unit) or 'revision' (a number of revisions) (default: ${DEFAULT-VALUE}).")
  String autoCompactionMode;

  @Option(names = "--auto-compaction-retention", defaultValue = "0",
      description = "History to keep when compacting automatically on the leader; 0 turns it"
          + " off (default: ${DEFAULT-VALUE}).")
  String autoCompactionRetention;

  @Option(names = "--auth-token", defaultValue = "simple",
      description = "Kind of auth token: only 'simple' (default: ${DEFAULT-VALUE}).")
  String authToken;

  @Option(names = "--auth-token-ttl", defaultValue = "300",
      description = "Seconds a simple token lives after its last use (default: ${DEFAULT-VALUE}).")
  long authTokenTtlSeconds;

  @Option(names = "--metrics", defaultValue = "basic",
      description = "'basic', or 'extensive' to also time every client call in"
          + " grpc_server_handling_seconds (default: ${DEFAULT-VALUE}).")
  String metrics;

  @Option(names = "--grpc-keepalive-min-time", defaultValue = "5s", converter = DurationConverter.class,
      description = "Shortest interval at which a client may ping; one that pings more often is"
          + " disconnected (default: ${DEFAULT-VALUE}).")
  Duration grpcKeepAliveMinTime;

  @Option(names = "--grpc-keepalive-interval", defaultValue = "2h", converter = DurationConverter.class,
      description = "How long a client connection stays quiet before the server pings it; 0s"
          + " for no pings (default: ${DEFAULT-VALUE}).")
  Duration grpcKeepAliveInterval;

  @Option(names = "--grpc-keepalive-timeout", defaultValue = "20s", converter = DurationConverter.class,
      description = "How long the server waits for a ping's answer before closing the connection;"
          + " 0s for no pings (default: ${DEFAULT-VALUE}).")
  Duration grpcKeepAliveTimeout;

  @Option(names = StoreArguments.CONFIG_FILE, paramLabel = "FILE",
      description = "An etcd configuration file (YAML, keys named as these flags); when given,"
          + " the other flags and ETCD_* environment variables are ignored, as etcd ignores them."
          + " Without it, each flag not given is read from ETCD_<FLAG> (ETCD_DATA_DIR for"
          + " --data-dir), as etcd reads it.")
  Path configFile;

  @Option(names = "--listen-metrics-urls",
      description = "URLs to serve /metrics and /health on (default: none).")
  String listenMetricsUrls;

  /** Set by {@code keel store}'s TLS flags ({@link ClientTlsOptions}); plain HTTP elsewhere. */
  io.keel.store.server.TlsFiles clientTls = io.keel.store.server.TlsFiles.NONE;
  io.keel.store.server.TlsFiles peerTls = io.keel.store.server.TlsFiles.none("--peer-");

  StoreConfig toConfig(Path defaultDataDir) {
    Map<String, List<URI>> cluster = initialCluster == null
        ? Map.of(name, advertisePeerUrls()) : StoreConfig.cluster(initialCluster);
    return toConfig(defaultDataDir, cluster, initialClusterToken);
  }

  /** {@code --initial-advertise-peer-urls}, or the listen peer URLs. */
  List<URI> advertisePeerUrls() {
    return initialAdvertisePeerUrls == null
        ? StoreConfig.urls("--listen-peer-urls", listenPeerUrls)
        : StoreConfig.urls("--initial-advertise-peer-urls", initialAdvertisePeerUrls);
  }

  Path dataDir(Path defaultDataDir) {
    return dataDir != null ? dataDir : defaultDataDir;
  }

  /** The config with an initial cluster and token found elsewhere (by discovery). */
  StoreConfig toConfig(Path defaultDataDir, Map<String, List<URI>> cluster, String clusterToken) {
    List<URI> listenClients = StoreConfig.urls("--listen-client-urls", listenClientUrls);
    List<URI> advertiseClients = advertiseClientUrls == null ? listenClients
        : StoreConfig.urls("--advertise-client-urls", advertiseClientUrls);
    List<URI> listenPeers = StoreConfig.urls("--listen-peer-urls", listenPeerUrls);
    List<URI> advertisePeers = advertisePeerUrls();
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException("--max-request-bytes must be at least 1024");
    }
    if (maxTxnOps < 1) {
      throw new IllegalArgumentException("--max-txn-ops must be at least 1");
    }
    if (quotaBackendBytes < 0) {
      throw new IllegalArgumentException("--quota-backend-bytes must not be negative");
    }
    long quota = quotaBackendBytes == 0 ? StoreLimits.QUOTA_BACKEND_BYTES_DEFAULT
        : quotaBackendBytes;
    if (progressNotifyInterval.isNegative() || progressNotifyInterval.isZero()) {
      throw new IllegalArgumentException(
          "--experimental-watch-progress-notify-interval must be positive");
    }
    return new StoreConfig(name, dataDir(defaultDataDir), listenClients,
        advertiseClients, listenPeers, advertisePeers, cluster, initialClusterState,
        clusterToken, new StoreLimits(maxRequestBytes, maxTxnOps, quota), snapshotCount,
        progressNotifyInterval, listenMetricsUrls == null ? List.of()
            : StoreConfig.urls("--listen-metrics-urls", listenMetricsUrls),
        StoreConfig.electionTimeout(electionTimeoutMs, heartbeatIntervalMs), autoCompaction(),
        clientTls, peerTls, authTokenTtl(), new GrpcSettings(grpcKeepAliveMinTime,
            grpcKeepAliveInterval, grpcKeepAliveTimeout, GrpcSettings.handlingTimes(metrics)));
  }

  /** etcd's {@code --auth-token-ttl}, for its {@code simple} tokens (Keel has no JWT tokens). */
  Duration authTokenTtl() {
    if (!authToken.equals("simple")) {
      throw new IllegalArgumentException("--auth-token '" + authToken
          + "': only simple tokens are supported ('simple'); JWT tokens are not");
    }
    if (authTokenTtlSeconds < 1) {
      throw new IllegalArgumentException(
          "--auth-token-ttl must be at least 1 second, not " + authTokenTtlSeconds);
    }
    return Duration.ofSeconds(authTokenTtlSeconds);
  }

  /**
   * etcd's reading of {@code --auto-compaction-retention}: in periodic mode a duration, or a whole
   * number of hours; in revision mode a whole number of revisions. 0 is off.
   */
  AutoCompaction autoCompaction() {
    String retention = autoCompactionRetention.trim();
    switch (autoCompactionMode) {
      case "periodic" -> {
        if (retention.matches("\\d{1,9}")) {
          return AutoCompaction.periodic(Duration.ofHours(Long.parseLong(retention)));
        }
        Duration period;
        try {
          period = Durations.parse(retention);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--auto-compaction-retention: '" + retention
              + "' is neither a number of hours nor a duration such as 30m or 1h30m");
        }
        return AutoCompaction.periodic(period);
      }
      case "revision" -> {
        if (!retention.matches("\\d{1,18}")) {
          throw new IllegalArgumentException("--auto-compaction-retention: '" + retention
              + "' is not a whole number of revisions (--auto-compaction-mode revision)");
        }
        return AutoCompaction.revisions(Long.parseLong(retention));
      }
      default -> throw new IllegalArgumentException("unknown --auto-compaction-mode '"
          + autoCompactionMode + "' (periodic or revision)");
    }
  }
}
