package io.keel.cli.membership;

import static io.keel.cli.membership.MemberCommands.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Etcdctl;
import io.keel.testkit.StoreCluster;
import io.keel.testkit.StoreCluster.MemberSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * etcd's disaster recovery: a snapshot taken with {@code etcdctl snapshot save}, the whole cluster
 * lost, a new cluster restored from the file on every member. It has the old cluster's keys with
 * their revisions and its leases, lists its own members, and takes writes after the restored
 * revision. A snapshot that is cut short or altered, or a data dir that exists, is refused naming
 * the problem. Written once, bound to the Keel store ({@code keel snapshot restore}) and to real
 * etcd ({@code etcdctl snapshot restore}).
 */
abstract class DisasterRecoveryScenario extends ClusterScenario {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Pattern HEADER = Pattern.compile("\"header\":\\{[^}]*},");
  private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");

  /** What a restore printed and how it exited. */
  protected record Restored(int exit, String output) {}

  /** Starts a 3-member cluster whose data dirs {@code prepare} writes before the members start. */
  protected abstract StoreCluster startCluster(Path workDir, Consumer<MemberSpec> prepare);

  /** The binding's {@code snapshot restore} of {@code snapshot} into {@code dataDir} for {@code member}. */
  protected abstract Restored restore(Path snapshot, MemberSpec member, Path dataDir);

  @Override
  protected StoreCluster startCluster(Path workDir) {
    return startCluster(workDir, member -> {});
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aNewClusterRestoredFromASnapshotHasTheKeysRevisionsAndLeases() throws IOException {
    cluster = startCluster(work.resolve("lost"));
    Etcdctl lost = new Etcdctl(cluster.awaitLeader(SETTLE).endpoint()).withTimeout(Duration.ofSeconds(30));
    ok(lost.run("put", "a", "1"));
    ok(lost.run("put", "b", "2"));
    ok(lost.run("put", "a", "3"));
    ok(lost.run("del", "b"));
    String lease = ok(lost.run("lease", "grant", "600")).split(" ")[1];
    ok(lost.run("put", "--lease=" + lease, "leased", "x"));
    String keysBefore = ok(lost.run("get", "", "--prefix", "-w", "json"));
    long revision = revision(keysBefore);
    Path snapshot = work.resolve("backup.db");
    ok(lost.run("snapshot", "save", snapshot.toString()));
    cluster.close();
    cluster = null;

    refusesBadSnapshots(snapshot);

    cluster = startCluster(work.resolve("restored"), member -> {
      Restored restored = restore(snapshot, member, member.dataDir());
      assertThat(restored.exit()).as(restored.output()).isZero();
    });
    Etcdctl restored = new Etcdctl(cluster.awaitLeader(SETTLE).endpoint()).withTimeout(Duration.ofSeconds(30));
    String keysAfter = ok(restored.run("get", "", "--prefix", "-w", "json"));
    assertThat(HEADER.matcher(keysAfter).replaceAll("")).isEqualTo(HEADER.matcher(keysBefore).replaceAll(""));
    assertThat(revision(keysAfter)).isEqualTo(revision);
    assertThat(ok(restored.run("lease", "list"))).contains(lease);
    assertThat(ok(restored.run("lease", "timetolive", "--keys", lease))).contains("attached keys([leased])");
    String members = ok(restored.run("member", "list"));
    assertThat(members.lines()).hasSize(3);
    cluster.members().forEach(m -> assertThat(members).contains(", " + m.name() + ", "));
    assertThat(revision(ok(restored.run("put", "after", "restore", "-w", "json")))).isEqualTo(revision + 1);
  }

  private void refusesBadSnapshots(Path snapshot) throws IOException {
    MemberSpec anyMember = new MemberSpec("n1", work.resolve("unused"), "", "", "", "http://127.0.0.1:1",
        "n1=http://127.0.0.1:1", "refused");
    byte[] whole = Files.readAllBytes(snapshot);
    Path cut = Files.write(work.resolve("cut.db"), java.util.Arrays.copyOf(whole, whole.length - 100));
    assertRefused(restore(cut, anyMember, work.resolve("refused-cut")), "snapshot missing hash");
    byte[] altered = whole.clone();
    altered[altered.length / 3] ^= 0x5a;
    Path changed = Files.write(work.resolve("altered.db"), altered);
    assertRefused(restore(changed, anyMember, work.resolve("refused-altered")), "expected sha256");
    Path existing = Files.createDirectories(work.resolve("existing"));
    assertRefused(restore(snapshot, anyMember, existing), "data-dir \"" + existing + "\" exists");
  }

  private static void assertRefused(Restored restored, String problem) {
    assertThat(restored.exit()).as(restored.output()).isNotZero();
    assertThat(restored.output()).contains(problem);
  }

  private static long revision(String json) {
    Matcher m = REVISION.matcher(json);
    assertThat(m.find()).as(json).isTrue();
    return Long.parseLong(m.group(1));
  }
}
