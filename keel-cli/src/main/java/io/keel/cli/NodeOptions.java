package io.keel.cli;

import io.keel.api.ApiServer;
import io.keel.cluster.engine.EngineConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What a node says about its machine and how it serves the API; shared by {@code keel node} and {@code keel up}. */
final class NodeOptions {
  static final String AGENT_TTL_DEFAULT = "30s";

  @Option(names = "--machine-id",
      description = "This machine's id (default: generated once and kept in the data dir).")
  String machineId;

  @Option(names = "--metadata",
      description = "Machine metadata as key=value pairs, comma-separated (e.g. region=us-east,rack=r1).")
  String metadata;

  @Option(names = "--capacity",
      description = "What units may request here: cpu=CORES,memory=SIZE (e.g. cpu=2,memory=4G). Default: not declared (no limit).")
  String capacity;

  @Option(names = "--public-ip",
      description = "The address other machines reach this one on (default: the first non-loopback IPv4 address).")
  String publicIp;

  @Option(names = "--api-listen", defaultValue = ApiServer.LISTEN_DEFAULT,
      description = "host:port to serve the fleet API v1 on (default: ${DEFAULT-VALUE}).")
  String apiListen;

  @Option(names = "--agent-ttl", defaultValue = AGENT_TTL_DEFAULT, converter = DurationConverter.class,
      description = "TTL of this machine's presence lease: how long after it dies its units move (default: ${DEFAULT-VALUE}).")
  Duration agentTtl;

  @Option(names = "--engine-reconcile-interval", defaultValue = "2s", converter = DurationConverter.class,
      description = "How often the engine leader reconciles even when nothing changed (default: ${DEFAULT-VALUE}).")
  Duration reconcileInterval;

  @Option(names = "--agent", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Run the units scheduled to this machine (default: ${DEFAULT-VALUE}; --no-agent: only presence, engine and API).")
  boolean agent;

  @Option(names = "--docker-host",
      description = "The Docker Engine for container units (default: $DOCKER_HOST, else unix:///var/run/docker.sock).")
  String dockerHost;

  String dockerHost() {
    if (dockerHost != null) {
      return dockerHost;
    }
    String env = System.getenv("DOCKER_HOST");
    return env != null && !env.isBlank() ? env : "unix:///var/run/docker.sock";
  }

  InetSocketAddress apiAddress() {
    String value = apiListen.startsWith("http://") ? apiListen.substring("http://".length()) : apiListen;
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("--api-listen '" + apiListen + "' is not host:port");
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(value.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--api-listen '" + apiListen + "' has no valid port");
    }
  }

  EngineConfig engineConfig() {
    if (agentTtl.toSeconds() < 1) {
      throw new IllegalArgumentException("--agent-ttl must be at least 1s");
    }
    return EngineConfig.DEFAULT.withLeaseTtl(agentTtl).withReconcileInterval(reconcileInterval);
  }
}
