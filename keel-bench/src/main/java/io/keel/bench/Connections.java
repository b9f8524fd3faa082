package io.keel.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --conns} gRPC channels spread round-robin over the endpoints. Callbacks run
 * directly on the Netty event loop (no executor hop): the benchmark's callbacks only
 * record a number and start the next request.
 */
public final class Connections implements AutoCloseable {
  private final List<ManagedChannel> channels = new ArrayList<>();

  public Connections(List<String> endpoints, int conns) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("--endpoints is empty");
    }
    if (conns < 1) {
      throw new IllegalArgumentException("--conns must be >= 1");
    }
    for (int i = 0; i < conns; i++) {
      HostPort hp = parse(endpoints.get(i % endpoints.size()));
      channels.add(
          NettyChannelBuilder.forAddress(hp.host(), hp.port())
              .usePlaintext()
              .directExecutor()
              .maxInboundMessageSize(64 << 20)
              .build());
    }
  }

  /** The channel client {@code client} uses (clients share channels round-robin). */
  public ManagedChannel forClient(int client) {
    return channels.get(client % channels.size());
  }

  public int size() {
    return channels.size();
  }

  public List<ManagedChannel> all() {
    return channels;
  }

  @Override
  public void close() {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
    for (ManagedChannel ch : channels) {
      try {
        ch.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** host and port of an endpoint. */
  public record HostPort(String host, int port) {}

  /** Parses {@code http://host:port}, {@code host:port}; https is not supported. */
  public static HostPort parse(String endpoint) {
    String e = endpoint.trim();
    if (e.startsWith("https://") || e.startsWith("unixs://")) {
      throw new IllegalArgumentException("TLS endpoints are not supported: " + endpoint);
    }
    if (!e.contains("://")) {
      e = "http://" + e;
    }
    URI uri = URI.create(e);
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("endpoint needs host:port: " + endpoint);
    }
    return new HostPort(uri.getHost(), uri.getPort());
  }
}
