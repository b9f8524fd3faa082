package io.keel.store.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * On the leader, since when each follower has answered without a break: what etcd's transport
 * calls a peer's "active since", which its strict reconfiguration check reads. etcd counts a
 * peer as connected only once it has been for {@link #HEALTH_INTERVAL} (its {@code
 * HealthInterval}), so a member that just came back, or keeps coming and going, does not make a
 * membership change look safe. Fed periodic samples of the followers that answer; a follower
 * missing from one sample starts over. Thread-safe.
 *
 * <p>etcd's peer connections outlive leader changes; a Ratis leader learns its followers only
 * once it leads, so for a new leader the time counts from its first sample.
 */
final class ConnectedPeers {
  /** etcd's {@code HealthInterval}. */
  static final Duration HEALTH_INTERVAL = Duration.ofSeconds(5);

  private final Clock clock;
  private final Map<String, Instant> activeSince = new HashMap<>();

  ConnectedPeers(Clock clock) {
    this.clock = clock;
  }

  /** One sample: the followers that answer now (empty when this member does not lead). */
  synchronized void observe(Set<String> answering) {
    activeSince.keySet().retainAll(answering);
    Instant now = clock.instant();
    answering.forEach(id -> activeSince.putIfAbsent(id, now));
  }

  /** The followers that have answered in every sample for at least {@link #HEALTH_INTERVAL}. */
  synchronized Set<String> connectedForHealthInterval() {
    Instant cutoff = clock.instant().minus(HEALTH_INTERVAL);
    return activeSince.entrySet().stream().filter(e -> !e.getValue().isAfter(cutoff))
        .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
  }
}
