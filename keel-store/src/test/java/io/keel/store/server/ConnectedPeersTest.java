package io.keel.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.store.lease.MutableClock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectedPeersTest {
  private final MutableClock clock = new MutableClock();
  private final ConnectedPeers peers = new ConnectedPeers(clock);

  @Test
  void aFollowerCountsOnceItHasAnsweredForFiveSeconds() {
    peers.observe(Set.of("b", "c"));
    clock.advance(Duration.ofMillis(4_999));
    peers.observe(Set.of("b", "c"));
    assertThat(peers.connectedForHealthInterval()).isEmpty();

    clock.advance(Duration.ofMillis(1));
    assertThat(peers.connectedForHealthInterval()).containsExactlyInAnyOrder("b", "c");
  }

  @Test
  void aFollowerMissingFromOneSampleStartsOver() {
    peers.observe(Set.of("b", "c"));
    clock.advance(Duration.ofSeconds(10));
    peers.observe(Set.of("b"));
    clock.advance(Duration.ofMillis(500));
    peers.observe(Set.of("b", "c"));
    assertThat(peers.connectedForHealthInterval()).containsExactly("b");

    clock.advance(Duration.ofSeconds(5));
    assertThat(peers.connectedForHealthInterval()).containsExactlyInAnyOrder("b", "c");
  }

  @Test
  void losingTheLeadershipForgetsEveryFollower() {
    peers.observe(Set.of("b", "c"));
    clock.advance(Duration.ofSeconds(10));
    peers.observe(Set.of());
    peers.observe(Set.of("b", "c"));
    assertThat(peers.connectedForHealthInterval()).isEmpty();
  }
}
