package io.keel.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PeerProberTest {
  private static final long SELF = 1;

  private long now;
  private List<Long> members = new ArrayList<>(List.of(SELF, 2L, 3L));
  private final Map<Long, CompletableFuture<Object>> probes = new HashMap<>();
  private final List<String> heard = new ArrayList<>();
  private final PeerProber prober = new PeerProber(SELF, () -> members, id -> {
    CompletableFuture<Object> probe = new CompletableFuture<>();
    probes.put(id, probe);
    return probe;
  }, () -> now, new PeerProber.Listener() {
    @Override
    public void answered(long memberId, long roundTripNanos) {
      heard.add("answered " + memberId + " in " + roundTripNanos);
    }

    @Override
    public void failed(long memberId) {
      heard.add("failed " + memberId);
    }

    @Override
    public void activeChanged(long memberId, boolean active) {
      heard.add((active ? "active " : "inactive ") + memberId);
    }
  });

  @Test
  void probesEveryOtherMemberAndTimesItsAnswer() {
    now = 100;
    prober.run();
    assertThat(probes).containsOnlyKeys(2L, 3L);
    now = 350;
    probes.get(2L).complete(null);
    assertThat(heard).containsExactly("answered 2 in 250", "active 2");
  }

  @Test
  void aMemberIsActiveFromItsFirstAnswerUntilAProbeFails() {
    prober.run();
    probes.get(2L).complete(null);
    prober.run();
    probes.get(2L).complete(null);
    prober.run();
    probes.get(2L).completeExceptionally(new RuntimeException("connection refused"));
    prober.run();
    probes.get(2L).completeExceptionally(new RuntimeException("connection refused"));
    assertThat(heard).containsExactly("answered 2 in 0", "active 2", "answered 2 in 0",
        "failed 2", "inactive 2", "failed 2");
  }

  @Test
  void aMemberWhoseProbeIsOutIsNotProbedAgain() {
    prober.run();
    CompletableFuture<Object> first = probes.get(3L);
    prober.run();
    assertThat(probes.get(3L)).isSameAs(first);
    first.complete(null);
    prober.run();
    assertThat(probes.get(3L)).isNotSameAs(first);
  }

  @Test
  void aProbeThatCannotBeSentCountsAsFailed() {
    var throwing = new PeerProber(SELF, () -> List.of(SELF, 2L), id -> {
      throw new IllegalStateException("no peer URL");
    }, () -> now, new PeerProber.Listener() {
      @Override
      public void answered(long memberId, long roundTripNanos) {
        heard.add("answered " + memberId);
      }

      @Override
      public void failed(long memberId) {
        heard.add("failed " + memberId);
      }

      @Override
      public void activeChanged(long memberId, boolean active) {
        heard.add("changed " + memberId);
      }
    });
    throwing.run();
    throwing.run();
    assertThat(heard).containsExactly("failed 2", "failed 2");
  }

  @Test
  void aMemberThatLeavesTheClusterIsNoLongerActive() {
    prober.run();
    probes.get(2L).complete(null);
    probes.get(3L).complete(null);
    heard.clear();
    probes.clear();
    members = List.of(SELF, 2L);
    prober.run();
    assertThat(heard).containsExactly("inactive 3");
    assertThat(probes).containsOnlyKeys(2L);
  }
}
