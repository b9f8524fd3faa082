package io.keel.cli.discovery;

import io.keel.cluster.registry.StoreEndpoints;
import java.time.Duration;

/**
 * etcd 3.6's v3 discovery settings ({@code --discovery-token}, {@code --discovery-endpoints},
 * {@code --discovery-dial-timeout}, {@code --discovery-request-timeout}).
 */
public record DiscoveryConfig(String token, StoreEndpoints endpoints, Duration dialTimeout,
    Duration requestTimeout) {

  public static final String DIAL_TIMEOUT_DEFAULT = "2s";
  public static final String REQUEST_TIMEOUT_DEFAULT = "5s";

  public DiscoveryConfig {
    DiscoveryKeys.checkToken(token);
    if (!dialTimeout.isPositive()) {
      throw new IllegalArgumentException("--discovery-dial-timeout must be positive");
    }
    if (!requestTimeout.isPositive()) {
      throw new IllegalArgumentException("--discovery-request-timeout must be positive");
    }
  }
}
