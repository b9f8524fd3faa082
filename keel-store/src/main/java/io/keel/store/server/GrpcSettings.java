package io.keel.store.server;

import java.time.Duration;

/**
 * The client port's gRPC settings, named after etcd's flags.
 *
 * @param keepAliveMinTime etcd's {@code --grpc-keepalive-min-time}: the shortest interval at which
 *     a client may ping; one that pings more often is disconnected
 * @param keepAliveInterval etcd's {@code --grpc-keepalive-interval}: how long a connection stays
 *     quiet before the server pings it ({@link #KEEPALIVE_INTERVAL_FLOOR} at least); zero turns
 *     server pings off
 * @param keepAliveTimeout etcd's {@code --grpc-keepalive-timeout}: how long the server waits for a
 *     ping's answer before closing the connection; zero turns server pings off
 * @param handlingTimes etcd's {@code --metrics extensive}: also time every call in {@code
 *     grpc_server_handling_seconds}
 */
public record GrpcSettings(Duration keepAliveMinTime, Duration keepAliveInterval,
    Duration keepAliveTimeout, boolean handlingTimes) {
  public static final Duration KEEPALIVE_MIN_TIME_DEFAULT = Duration.ofSeconds(5);
  public static final Duration KEEPALIVE_INTERVAL_DEFAULT = Duration.ofHours(2);
  public static final Duration KEEPALIVE_TIMEOUT_DEFAULT = Duration.ofSeconds(20);
  /** The shortest interval gRPC for Java pings at (etcd, in Go, takes any). */
  public static final Duration KEEPALIVE_INTERVAL_FLOOR = Duration.ofSeconds(10);
  public static final GrpcSettings DEFAULT = new GrpcSettings(KEEPALIVE_MIN_TIME_DEFAULT,
      KEEPALIVE_INTERVAL_DEFAULT, KEEPALIVE_TIMEOUT_DEFAULT, false);

  public GrpcSettings {
    notNegative("--grpc-keepalive-min-time", keepAliveMinTime);
    notNegative("--grpc-keepalive-interval", keepAliveInterval);
    notNegative("--grpc-keepalive-timeout", keepAliveTimeout);
  }

  /** Whether the server pings quiet connections, as etcd does when both durations are set. */
  public boolean serverPings() {
    return keepAliveInterval.isPositive() && keepAliveTimeout.isPositive();
  }

  /** Whether the server pings more often than gRPC for Java will ({@link #KEEPALIVE_INTERVAL_FLOOR}). */
  public boolean intervalBelowFloor() {
    return serverPings() && keepAliveInterval.compareTo(KEEPALIVE_INTERVAL_FLOOR) < 0;
  }

  /** etcd's {@code --metrics}: {@code basic}, or {@code extensive} for handling times. */
  public static boolean handlingTimes(String metrics) {
    return switch (metrics) {
      case "basic" -> false;
      case "extensive" -> true;
      default -> throw new IllegalArgumentException(
          "unknown --metrics '" + metrics + "' (basic or extensive)");
    };
  }

  private static void notNegative(String flag, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(flag + " must not be negative, not " + value);
    }
  }
}
