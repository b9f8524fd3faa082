package io.keel.cli.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cli.contract.GatewayHttp;
import io.keel.testkit.Await;
import io.keel.testkit.StoreClusterMember;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP on a cluster member's client port: a follower's JSON gateway writes through the leader,
 * and {@code /health} says whether the member can serve linearizably: true with a quorum, 503
 * {@code false} once it is lost, true again when it is back. Written once, bound to the Keel
 * store and to real etcd.
 */
abstract class ClientPortHttpScenario extends ClusterScenario {
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

    leader.stop();
    followers.get(1).stop();
    Await.until(SETTLE, followers.get(0).name() + "'s /health answers 503 without a quorum",
        () -> viaFollower.get("/health").status() == 503);
    assertThat(viaFollower.get("/health").body().strip()).isEqualTo(UNHEALTHY);

    followers.get(1).start();
    Await.until(SETTLE, followers.get(0).name() + "'s /health answers 200 with the quorum back",
        () -> viaFollower.get("/health").status() == 200);
    assertThat(viaFollower.post("/v3/kv/range", "{\"key\":\"aHR0cA==\"}").body()).contains("\"value\":\"djE=\"");
  }
}
