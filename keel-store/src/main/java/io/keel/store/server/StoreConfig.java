package io.keel.store.server;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A store member's settings, named after etcd's flags.
 *
 * @param initialCluster member name to its peer URLs, in flag order
 * @param listenMetricsUrls where to serve {@code /metrics} and {@code /health} (may be empty)
 * @param electionTimeout etcd's {@code --election-timeout}: how long followers go without hearing
 *     from a leader before one of them campaigns (checked by {@link #electionTimeout})
 * @param autoCompaction etcd's {@code --auto-compaction-mode} and {@code
 *     --auto-compaction-retention}
 * @param grpc the client port's keepalive and metrics settings
 */
public record StoreConfig(
    String name,
    Path dataDir,
    List<URI> listenClientUrls,
    List<URI> advertiseClientUrls,
    List<URI> listenPeerUrls,
    List<URI> initialAdvertisePeerUrls,
    Map<String, List<URI>> initialCluster,
    String initialClusterState,
    String initialClusterToken,
    StoreLimits limits,
    int snapshotCount,
    Duration watchProgressNotifyInterval,
    List<URI> listenMetricsUrls,
    Duration electionTimeout,
    AutoCompaction autoCompaction,
    TlsFiles clientTls,
    TlsFiles peerTls,
    Duration authTokenTtl,
    GrpcSettings grpc) {

  public static final String NAME_DEFAULT = "default";
  public static final String CLIENT_URL_DEFAULT = "http://127.0.0.1:2379";
  public static final String PEER_URL_DEFAULT = "http://127.0.0.1:2380";
  public static final String CLUSTER_TOKEN_DEFAULT = "etcd-cluster";
  public static final int SNAPSHOT_COUNT_DEFAULT = 100_000;
  public static final Duration PROGRESS_NOTIFY_INTERVAL_DEFAULT = Duration.ofMinutes(10);
  public static final long MIN_LEASE_TTL_SECONDS = 2;
  /** etcd's default {@code --election-timeout}, in milliseconds. */
  public static final long ELECTION_TIMEOUT_MS_DEFAULT = 1000;
  /** etcd's default {@code --heartbeat-interval}, in milliseconds. */
  public static final long HEARTBEAT_INTERVAL_MS_DEFAULT = 100;
  /** etcd's upper bound on {@code --election-timeout}, in milliseconds. */
  public static final long ELECTION_TIMEOUT_MS_MAX = 50_000;

  public StoreConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("--name must not be empty");
    }
    checkListed(name, initialCluster);
    if (!initialClusterState.equals("new") && !initialClusterState.equals("existing")) {
      throw new IllegalArgumentException(
          "--initial-cluster-state must be 'new' or 'existing', not '" + initialClusterState + "'");
    }
    if (snapshotCount < 1) {
      throw new IllegalArgumentException("--snapshot-count must be at least 1");
    }
    for (URI url : concat(listenClientUrls, advertiseClientUrls)) {
      if (url.getScheme().equals("https") && !clientTls.enabled()) {
        throw new IllegalArgumentException("client URL '" + url + "' uses https: give"
            + " --cert-file and --key-file");
      }
    }
    for (URI url : listenMetricsUrls) {
      if (!url.getScheme().equals("http")) {
        throw new IllegalArgumentException("--listen-metrics-urls: '" + url + "' must use"
            + " http:// (Keel serves metrics without TLS; /metrics is also on the client URLs)");
      }
    }
    List<URI> peers = new ArrayList<>(concat(listenPeerUrls, initialAdvertisePeerUrls));
    initialCluster.values().forEach(peers::addAll);
    for (URI url : peers) {
      if (!url.getScheme().equals(peers.get(0).getScheme())) {
        throw new IllegalArgumentException("peer URLs mix http:// and https:// ('" + peers.get(0)
            + "', '" + url + "'): members speak TLS to each other or none do");
      }
      if (url.getScheme().equals("https") && !peerTls.enabled()) {
        throw new IllegalArgumentException("peer URL '" + url + "' uses https: give"
            + " --peer-cert-file and --peer-key-file");
      }
    }
  }

  /** Refuses a member {@code --initial-cluster} does not list, naming those it lists. */
  public static void checkListed(String name, Map<String, List<URI>> initialCluster) {
    if (!initialCluster.containsKey(name)) {
      throw new IllegalArgumentException("--initial-cluster has no member named '" + name
          + "' (it lists " + String.join(", ", initialCluster.keySet()) + ")");
    }
  }

  private static List<URI> concat(List<URI> a, List<URI> b) {
    List<URI> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The peer TLS members speak to each other: {@link #peerTls} when peer URLs are https. */
  public TlsFiles peerTlsInUse() {
    return listenPeerUrls.get(0).getScheme().equals("https") ? peerTls : TlsFiles.none("--peer-");
  }

  /** True when a listen client URL uses https. */
  public boolean servesTls(URI listenClientUrl) {
    return listenClientUrl.getScheme().equals("https");
  }

  /**
   * Checks etcd's rules for {@code --heartbeat-interval} and {@code --election-timeout}, in etcd's
   * words, and returns the election timeout.
   */
  public static Duration electionTimeout(long electionTimeoutMs, long heartbeatIntervalMs) {
    if (heartbeatIntervalMs <= 0) {
      throw new IllegalArgumentException(
          "--heartbeat-interval must be positive, not " + heartbeatIntervalMs);
    }
    if (electionTimeoutMs < 5 * heartbeatIntervalMs) {
      throw new IllegalArgumentException("--election-timeout[" + electionTimeoutMs
          + "ms] should be at least as 5 times as --heartbeat-interval[" + heartbeatIntervalMs
          + "ms]");
    }
    if (electionTimeoutMs > ELECTION_TIMEOUT_MS_MAX) {
      throw new IllegalArgumentException("--election-timeout[" + electionTimeoutMs
          + "ms] is too long, and should be set less than " + ELECTION_TIMEOUT_MS_MAX + "ms");
    }
    return Duration.ofMillis(electionTimeoutMs);
  }

  /** Parses a comma-separated URL list, as etcd's flags take them. */
  public static List<URI> urls(String flag, String value) {
    List<URI> out = new ArrayList<>();
    for (String part : value.split(",")) {
      String s = part.trim();
      if (s.isEmpty()) {
        continue;
      }
      URI uri;
      try {
        uri = URI.create(s);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(flag + ": '" + s + "' is not a URL");
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException(flag + ": '" + s + "' must use http:// or https://");
      }
      if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535) {
        throw new IllegalArgumentException(flag + ": '" + s + "' needs a host and a port");
      }
      out.add(uri);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(flag + " must name at least one URL");
    }
    return out;
  }

  /** Parses etcd's {@code --initial-cluster name=url,name=url}. */
  public static Map<String, List<URI>> cluster(String value) {
    Map<String, List<URI>> members = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      String s = part.trim();
      if (s.isEmpty()) {
        continue;
      }
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--initial-cluster: '" + s + "' is not of the form name=url");
      }
      members.computeIfAbsent(s.substring(0, eq), k -> new ArrayList<>())
          .addAll(urls("--initial-cluster", s.substring(eq + 1)));
    }
    if (members.isEmpty()) {
      throw new IllegalArgumentException("--initial-cluster must name at least one member");
    }
    return members;
  }

  public static InetSocketAddress address(URI uri) {
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }
}
