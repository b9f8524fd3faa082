package io.keel.cli.membership;

import static io.keel.cli.membership.MemberCommands.acceptedOnce;
import static io.keel.cli.membership.MemberCommands.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.FreePorts;
import io.keel.testkit.StoreClusterMember;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * etcd's strict reconfiguration check counts a member as connected only once it has been for
 * five seconds: right after a member comes back, adding one is refused with {@code etcdserver:
 * unhealthy cluster}, and a little later the same add is accepted. Written once, bound to the
 * Keel store and to real etcd.
 */
abstract class ReturningMemberScenario extends ClusterScenario {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Pattern ADDED = Pattern.compile("Member +([0-9a-f]+) added to cluster");

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aMemberThatCameBackCountsAsConnectedOnlyAfterFiveSeconds() {
    cluster = startCluster(work);
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    StoreClusterMember returning = cluster.members().stream().filter(m -> m != leader)
        .findFirst().orElseThrow();
    Etcdctl viaLeader = new Etcdctl(leader.endpoint()).withTimeout(Duration.ofSeconds(30));
    int[] ports = FreePorts.allocate(2);

    // every member connected for a while: an add is accepted, and the unstarted member may go
    Matcher added = ADDED.matcher(acceptedOnce(viaLeader, SETTLE, "added to cluster",
        "member", "add", "n4", "--peer-urls=http://127.0.0.1:" + ports[0]));
    assertThat(added.find()).isTrue();
    ok(viaLeader.run("member", "remove", added.group(1)));

    returning.stop();
    returning.start();
    Etcdctl viaReturning = new Etcdctl(returning.endpoint()).withTimeout(Duration.ofSeconds(5));
    Await.until(SETTLE, returning.name() + " answers a linearizable read again",
        () -> viaReturning.run("endpoint", "health").exitCode() == 0);
    String[] add = {"member", "add", "n5", "--peer-urls=http://127.0.0.1:" + ports[1]};
    Etcdctl.Result early = viaLeader.run(add);
    assertThat(early.exitCode()).as("accepted at once: %s", early.stdout()).isNotZero();
    assertThat(early.stderr()).contains("etcdserver: unhealthy cluster");

    acceptedOnce(viaLeader, SETTLE, "added to cluster", add);
    assertThat(ok(viaLeader.run("member", "list"))).contains(", unstarted, ");
  }
}
