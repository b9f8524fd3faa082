package io.keel.store.metrics;

import io.keel.store.server.PeerProber;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the peer probes found, under etcd 3.4's names: {@code
 * etcd_network_peer_round_trip_time_seconds{To}}, {@code etcd_network_peer_sent_failures_total{To}}
 * (failed probes), {@code etcd_network_active_peers{Local,Remote}} and {@code
 * etcd_network_disconnected_peers_total{Local,Remote}}. Members are labelled by their ids in
 * hex, as etcd labels them. A member's meters are registered when it is first probed.
 */
public final class PeerMeters implements PeerProber.Listener {
  private static final Duration[] ROUND_TRIP_BUCKETS =
      StoreMetrics.exponentialBuckets(Duration.ofNanos(100_000), 16);

  private final MeterRegistry registry;
  private final String local;
  private final Map<Long, Peer> peers = new ConcurrentHashMap<>();

  PeerMeters(MeterRegistry registry, long localId) {
    this.registry = registry;
    this.local = Long.toHexString(localId);
  }

  @Override
  public void answered(long memberId, long roundTripNanos) {
    peer(memberId).roundTrip.record(roundTripNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void failed(long memberId) {
    peer(memberId).sentFailures.increment();
  }

  @Override
  public void activeChanged(long memberId, boolean active) {
    Peer peer = peer(memberId);
    peer.active.set(active ? 1 : 0);
    if (!active) {
      peer.disconnected.increment();
    }
  }

  private Peer peer(long memberId) {
    return peers.computeIfAbsent(memberId, id -> new Peer(Long.toHexString(id)));
  }

  private final class Peer {
    private final Timer roundTrip;
    private final Counter sentFailures;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter disconnected;

    Peer(String remote) {
      roundTrip = Timer.builder("etcd.network.peer.round.trip.time")
          .description("Round-Trip-Time histogram between peers")
          .tag("To", remote).serviceLevelObjectives(ROUND_TRIP_BUCKETS).register(registry);
      sentFailures = Counter.builder("etcd.network.peer.sent.failures")
          .description("The total number of send failures from peers.")
          .tag("To", remote).register(registry);
      Gauge.builder("etcd.network.active.peers", active, AtomicInteger::get)
          .description("The current number of active peer connections.")
          .tags("Local", local, "Remote", remote).register(registry);
      disconnected = Counter.builder("etcd.network.disconnected.peers")
          .description("The total number of disconnected peers.")
          .tags("Local", local, "Remote", remote).register(registry);
    }
  }
}
