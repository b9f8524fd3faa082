package io.keel.cli.membership;

import static io.keel.cli.membership.MemberCommands.ok;
import static org.assertj.core.api.Assertions.assertThat;

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
 * Members reach each other only on their peer URLs, as etcd's do, so an operator may serve
 * clients on addresses the other members cannot reach. Clients work through a follower (writes, a
 * transaction, linearizable reads, a lease granted, kept alive, queried and revoked, a member
 * added and removed) while the test's network counts the connections a member opens to another
 * member's client URL: there must be none. Written once, bound to the Keel store and to real etcd.
 */
abstract class MemberTrafficScenario extends ClusterScenario {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Pattern LEASE_ID = Pattern.compile("lease ([0-9a-f]+) granted");
  private static final Pattern MEMBER_ID = Pattern.compile("Member +([0-9a-f]+) added");

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void membersReachEachOtherOnlyOnPeerUrls() {
    cluster = startCluster(work);
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    StoreClusterMember follower = cluster.members().stream().filter(m -> m != leader)
        .findFirst().orElseThrow();
    Etcdctl viaFollower = new Etcdctl(follower.endpoint());

    ok(viaFollower.run("put", "traffic", "v1"));
    ok(viaFollower.runWithStdin("value(\"traffic\") = \"v1\"\n\nput traffic v2\n\n\n", "txn"));
    assertThat(ok(viaFollower.run("get", "traffic", "--print-value-only")).strip())
        .isEqualTo("v2");

    Matcher lease = LEASE_ID.matcher(ok(viaFollower.run("lease", "grant", "60")));
    assertThat(lease.find()).isTrue();
    ok(viaFollower.run("put", "leased", "v", "--lease=" + lease.group(1)));
    assertThat(ok(viaFollower.run("lease", "keep-alive", "--once", lease.group(1))))
        .contains("keepalived with TTL(60)");
    assertThat(ok(viaFollower.run("lease", "timetolive", lease.group(1), "--keys")))
        .contains("granted with TTL(60s)").contains("leased");
    ok(viaFollower.run("lease", "revoke", lease.group(1)));
    assertThat(ok(viaFollower.run("get", "leased"))).isEmpty();

    String unstarted = "http://127.0.0.1:" + FreePorts.next();
    Matcher added = MEMBER_ID.matcher(MemberCommands.acceptedOnce(viaFollower, SETTLE,
        "added to cluster", "member", "add", "n4", "--peer-urls=" + unstarted));
    assertThat(added.find()).isTrue();
    MemberCommands.acceptedOnce(viaFollower, SETTLE, "removed from cluster",
        "member", "remove", added.group(1));
    assertThat(ok(viaFollower.run("member", "list"))).doesNotContain(unstarted);

    assertThat(cluster.network().stats().memberToClientPort())
        .as("connections a member opened to another member's client URL")
        .isZero();
  }
}
