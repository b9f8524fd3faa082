package io.keel.cli.fleet;

import io.keel.api.client.FleetClient;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How a verb reaches a node's API: {@code --endpoint} (or {@code KEEL_ENDPOINT}) and a request timeout. */
public final class EndpointOptions {
  @Option(names = "--endpoint", defaultValue = "${env:KEEL_ENDPOINT:-" + FleetClient.ENDPOINT_DEFAULT + "}",
      description = "The API of any node, http://host:port (default: $KEEL_ENDPOINT or "
          + FleetClient.ENDPOINT_DEFAULT + ").")
  String endpoint;

  @Option(names = "--request-timeout", defaultValue = "10",
      description = "Seconds to allow a single request before considering it failed (default: ${DEFAULT-VALUE}).")
  double requestTimeout;

  FleetClient client() {
    if (!(requestTimeout > 0)) {
      throw new IllegalArgumentException("--request-timeout must be positive");
    }
    return new FleetClient(endpoint, Duration.ofMillis((long) (requestTimeout * 1000)));
  }
}
