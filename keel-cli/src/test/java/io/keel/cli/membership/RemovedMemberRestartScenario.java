package io.keel.cli.membership;

import static io.keel.cli.membership.MemberCommands.memberId;
import static io.keel.cli.membership.MemberCommands.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.StoreClusterMember;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A removed member started again on its old data dir learns it was removed and exits 0, with
 * etcd's words, instead of waiting as a member that will never again find a leader: whether it
 * was removed while down (it must hear it from the others) or while running (it stopped then, and
 * its own log holds the removal). Written once, bound to the Keel store and to real etcd.
 */
abstract class RemovedMemberRestartScenario extends ClusterScenario {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Pattern REMOVED =
      Pattern.compile("the member has been permanently removed from the cluster");

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void removedMembersRestartedOnTheirOldDataExitAndTheClusterKeepsWriting() throws IOException {
    cluster = startCluster(work);
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    StoreClusterMember[] followers = cluster.members().stream().filter(m -> m != leader)
        .toArray(StoreClusterMember[]::new);
    Etcdctl viaLeader = new Etcdctl(leader.endpoint()).withTimeout(Duration.ofSeconds(30));
    ok(viaLeader.run("put", "before", "1"));

    StoreClusterMember removedWhileDown = followers[0];
    String downId = memberId(ok(viaLeader.run("member", "list")), removedWhileDown.name());
    removedWhileDown.stop();
    remove(viaLeader, downId);
    ok(viaLeader.run("put", "after-first-removal", "1"));
    long saidBefore = timesSaidRemoved(removedWhileDown);
    removedWhileDown.launch();
    awaitExitSayingRemoved(removedWhileDown, saidBefore);

    StoreClusterMember removedWhileRunning = followers[1];
    String runningId = memberId(ok(viaLeader.run("member", "list")),
        removedWhileRunning.name());
    saidBefore = timesSaidRemoved(removedWhileRunning);
    remove(viaLeader, runningId);
    awaitExitSayingRemoved(removedWhileRunning, saidBefore);
    saidBefore = timesSaidRemoved(removedWhileRunning);
    removedWhileRunning.launch();
    awaitExitSayingRemoved(removedWhileRunning, saidBefore);

    String list = ok(viaLeader.run("member", "list"));
    assertThat(list.lines().count()).as(list).isEqualTo(1);
    assertThat(list).doesNotContain(downId).doesNotContain(runningId);
    ok(viaLeader.run("put", "after-restarts", "1"));
    assertThat(ok(viaLeader.run("get", "after-first-removal", "--print-value-only")).trim())
        .isEqualTo("1");
  }

  /**
   * Removes a member, retrying while the cluster refuses it as unhealthy (etcd wants a member
   * connected for five seconds before it counts).
   */
  private static void remove(Etcdctl etcdctl, String id) {
    Await.until(SETTLE, "member " + id + " removed", () -> {
      Etcdctl.Result r = etcdctl.run("member", "remove", id);
      if (r.exitCode() == 0) {
        return true;
      }
      assertThat(r.stderr()).as("member remove %s", id).contains("etcdserver: unhealthy cluster");
      return false;
    });
  }

  /** Waits for the member to exit 0, having logged again that it was removed. */
  private static void awaitExitSayingRemoved(StoreClusterMember member, long saidBefore)
      throws IOException {
    Await.until(SETTLE, member.name() + " exits", () -> member.exitValue().isPresent());
    assertThat(member.exitValue()).as("%s's exit status", member.name()).hasValue(0);
    assertThat(timesSaidRemoved(member)).as("%s logged that it was removed", member.name())
        .isGreaterThan(saidBefore);
  }

  private static long timesSaidRemoved(StoreClusterMember member) throws IOException {
    Path log = member.logFile();
    return Files.exists(log) ? REMOVED.matcher(Files.readString(log)).results().count() : 0;
  }
}
