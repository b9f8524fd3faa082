package io.keel.cli.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.KeelStoreCluster;
import io.keel.testkit.StoreClusterMember;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that was down while the others snapshotted and purged the log behind it catches up
 * from the leader's snapshot (Ratis snapshot installation), then serves reads and writes.
 */
class SnapshotCatchUpTest {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final int WRITES = 600;
  /** 600 writes of 20 KiB fill more than one 8 MiB log segment: only closed ones are purged. */
  private static final String VALUE = "v".repeat(20 * 1024);
  private static final Pattern LOADED =
      Pattern.compile("loaded snapshot \\S+ at revision (\\d+)");

  @TempDir
  Path work;
  private KeelStoreCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aMemberBehindThePurgedLogInstallsTheLeadersSnapshotAndServes() throws Exception {
    cluster = KeelStoreCluster.start(work, 3, System.getProperty("java.class.path"),
        "--snapshot-count", "20");
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    StoreClusterMember behind = cluster.members().stream().filter(m -> m != leader)
        .findFirst().orElseThrow();
    List<String> others = cluster.members().stream().filter(m -> m != behind)
        .map(StoreClusterMember::endpoint).toList();
    Etcdctl writer = new Etcdctl(String.join(",", others)).withTimeout(Duration.ofSeconds(30));
    ok(writer.run("put", "before", "down"));
    Await.until(SETTLE, behind + " has the first write", () -> at(behind)
        .run("get", "before", "--consistency=s", "--print-value-only").stdout().trim()
        .equals("down"));
    behind.stop();

    try (Client client = Client.builder().endpoints(others.toArray(String[]::new)).build()) {
      List<CompletableFuture<?>> puts = new ArrayList<>();
      for (int i = 0; i < WRITES; i++) {
        puts.add(client.getKVClient().put(bytes("k" + i), bytes(i + VALUE)));
      }
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
    long revisionWhileDown = revision(writer);
    behind.start();

    Await.until(SETTLE, behind + " has the writes made while it was down", () -> at(behind)
        .run("get", "k" + (WRITES - 1), "--consistency=s", "--print-value-only").stdout().trim()
        .equals((WRITES - 1) + VALUE));
    assertThat(loadedRevisions(behind))
        .as("%s loaded a snapshot taken while it was down (from the leader)", behind)
        .anyMatch(revision -> revision > revisionWhileDown - WRITES / 2);
    assertThat(ok(at(behind).run("get", "k0", "--print-value-only")).trim())
        .as("a linearizable read through the member").isEqualTo("0" + VALUE);
    ok(at(behind).run("put", "after", "caught-up"));
    assertThat(ok(writer.run("get", "after", "--print-value-only")).trim()).isEqualTo("caught-up");
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static long revision(Etcdctl etcdctl) {
    Matcher m = Pattern.compile("\"revision\":(\\d+)")
        .matcher(ok(etcdctl.run("get", "before", "-w", "json")));
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static List<Long> loadedRevisions(StoreClusterMember member) throws IOException {
    return LOADED.matcher(Files.readString(member.logFile())).results()
        .map(r -> Long.parseLong(r.group(1))).toList();
  }

  private static Etcdctl at(StoreClusterMember member) {
    return new Etcdctl(member.endpoint()).withTimeout(Duration.ofSeconds(30));
  }

  private static String ok(Etcdctl.Result r) {
    assertThat(r.exitCode()).as("etcdctl failed: %s", r.stderr()).isZero();
    return r.stdout();
  }
}
