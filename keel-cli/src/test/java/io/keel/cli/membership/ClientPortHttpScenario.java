package io.keel.cli.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cli.contract.GatewayHttp;
import io.keel.testkit.Await;
import io.keel.testkit.StoreClusterMember;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP on a cluster member's client port: a follower's JSON gateway writes through the leader,
 * and {@code /health} says whether the member can serve linearizably: true with a quorum, 503
 * {@code false} once it is lost, true again when it is back; {@code /metrics} has etcd's peer
 * meters: a round-trip time to each other member (bucket bounds written as etcd writes them)
 * and both active, then, with them stopped, both
 * inactive, disconnected and failing. Written once, bound to the Keel store and to real etcd.
 */
abstract class ClientPortHttpScenario extends ClusterScenario {
  /** A member id as etcd labels its peer meters. */
  private static final String HEX = "[0-9a-f]+";
  /** A positive count as etcd (1, 18, 1.2e+06) or Micrometer (1.0) writes it. */
  private static final String POSITIVE = "[1-9][0-9.eE+]*";
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final String HEALTHY = "{\"health\":\"true\"}";
  private static final String UNHEALTHY = "{\"health\":\"false\"}";

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aFollowersGatewayWritesThroughTheLeaderAndHealthFollowsTheQuorum() {
    cluster = startCluster(work);
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    List<StoreClusterMember> followers = cluster.members().stream().filter(m -> m != leader).toList();
    var viaFollower = new GatewayHttp(followers.get(0).endpoint());

    GatewayHttp.Answer put = viaFollower.post("/v3/kv/put", "{\"key\":\"aHR0cA==\",\"value\":\"djE=\"}");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(new GatewayHttp(leader.endpoint()).post("/v3/kv/range", "{\"key\":\"aHR0cA==\"}").body())
            .contains("\"value\":\"djE=\"");
    for (StoreClusterMember member : cluster.members()) {
      GatewayHttp.Answer health = new GatewayHttp(member.endpoint()).get("/health");
      assertThat(health.status()).as(member.name()).isEqualTo(200);
      assertThat(health.body().strip()).as(member.name()).isEqualTo(HEALTHY);
    }
    var leaderHttp = new GatewayHttp(leader.endpoint());
    Await.until(SETTLE, "the leader's /metrics has a round-trip time to each other member",
        () -> count(leaderHttp, "etcd_network_peer_round_trip_time_seconds_count\\{To=\"" + HEX
            + "\"} " + POSITIVE) == 2);
    // bucket bounds as etcd writes them (0.0001, not 1.0E-4): a query naming one finds it
    assertThat(count(leaderHttp, "etcd_network_peer_round_trip_time_seconds_bucket\\{To=\"" + HEX
        + "\",le=\"0.0001\"} [0-9.eE+]+")).isEqualTo(2);
    assertThat(count(leaderHttp, "etcd_network_peer_round_trip_time_seconds_bucket\\{To=\"" + HEX
        + "\",le=\"0.8192\"} " + POSITIVE)).isEqualTo(2);
    for (StoreClusterMember member : cluster.members()) {
      var http = new GatewayHttp(member.endpoint());
      Await.until(SETTLE, member.name() + "'s /metrics has both other members active",
          () -> count(http, "etcd_network_active_peers\\{Local=\"" + HEX + "\",Remote=\"" + HEX
              + "\"} 1(\\.0)?") == 2);
    }

    leader.stop();
    followers.get(1).stop();
    Await.until(SETTLE, followers.get(0).name() + "'s /health answers 503 without a quorum",
        () -> viaFollower.get("/health").status() == 503);
    assertThat(viaFollower.get("/health").body().strip()).isEqualTo(UNHEALTHY);
    String survivor = followers.get(0).name();
    try {
      Await.until(SETTLE, survivor + "'s /metrics has both other members inactive, disconnected "
          + "and failing", () ->
          count(viaFollower, "etcd_network_active_peers\\{Local=\"" + HEX + "\",Remote=\"" + HEX
              + "\"} 0(\\.0)?") == 2
          && count(viaFollower, "etcd_network_disconnected_peers_total\\{Local=\"" + HEX
              + "\",Remote=\"" + HEX + "\"} " + POSITIVE) == 2
          && count(viaFollower, "etcd_network_peer_sent_failures_total\\{To=\"" + HEX
              + "\"} " + POSITIVE) >= 1);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; its etcd_network lines:\n"
          + viaFollower.get("/metrics").body().lines().filter(l -> l.startsWith("etcd_network_"))
              .collect(Collectors.joining("\n")), e);
    }

    followers.get(1).start();
    Await.until(SETTLE, followers.get(0).name() + "'s /health answers 200 with the quorum back",
        () -> viaFollower.get("/health").status() == 200);
    assertThat(viaFollower.post("/v3/kv/range", "{\"key\":\"aHR0cA==\"}").body()).contains("\"value\":\"djE=\"");
  }

  /** How many lines of {@code member}'s /metrics match {@code line} whole. */
  private static long count(GatewayHttp member, String line) {
    GatewayHttp.Answer metrics = member.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    return Pattern.compile("(?m)^" + line + "$").matcher(metrics.body()).results().count();
  }
}
