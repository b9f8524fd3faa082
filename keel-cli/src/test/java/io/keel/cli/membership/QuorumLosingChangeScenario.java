package io.keel.cli.membership;

import static io.keel.cli.membership.MemberCommands.memberId;
import static io.keel.cli.membership.MemberCommands.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.FreePorts;
import io.keel.testkit.StoreClusterMember;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With one of three members down, removing another or adding a voter would leave a configuration
 * no connected quorum can commit; etcd 3.4 refuses both with {@code etcdserver: unhealthy cluster}
 * (its strict reconfiguration check) and the cluster keeps working. Written once, bound to the
 * Keel store and to real etcd.
 */
abstract class QuorumLosingChangeScenario extends ClusterScenario {
  private static final Duration SETTLE = Duration.ofSeconds(60);

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void changesThatWouldLoseTheQuorumAreRefusedAndTheClusterKeepsWorking() throws Exception {
    cluster = startCluster(work);
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    StoreClusterMember down = cluster.members().stream().filter(m -> m != leader)
        .findFirst().orElseThrow();
    StoreClusterMember other = cluster.members().stream()
        .filter(m -> m != leader && m != down).findFirst().orElseThrow();
    Etcdctl viaOther = new Etcdctl(other.endpoint()).withTimeout(Duration.ofSeconds(30));
    Etcdctl viaLeader = new Etcdctl(leader.endpoint()).withTimeout(Duration.ofSeconds(30));
    String before = ok(viaLeader.run("member", "list"));
    String otherId = memberId(before, other.name());
    down.stop();

    refused(viaOther, "member", "remove", otherId);
    int[] port = FreePorts.allocate(1);
    refused(viaLeader, "member", "add", "n4", "--peer-urls=http://127.0.0.1:" + port[0]);

    assertThat(ok(viaLeader.run("member", "list")).lines().count())
        .as("the member list is unchanged").isEqualTo(before.lines().count());
    ok(viaOther.run("put", "still", "writing"));
    assertThat(ok(viaLeader.run("get", "still", "--print-value-only")).trim())
        .isEqualTo("writing");
  }

  /**
   * Runs the change until the cluster refuses it as unhealthy; fails at once if it is accepted
   * (a member may count as connected for a moment after it stopped).
   */
  private static void refused(Etcdctl etcdctl, String... change) {
    AtomicReference<String> lastError = new AtomicReference<>("");
    try {
      Await.until(SETTLE, String.join(" ", change) + " refused as unhealthy", () -> {
        Etcdctl.Result r = etcdctl.run(change);
        assertThat(r.exitCode()).as("accepted: %s", r.stdout()).isNotZero();
        lastError.set(r.stderr());
        return r.stderr().contains("etcdserver: unhealthy cluster");
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last answer: " + lastError.get(), e);
    }
  }
}
