package io.keel.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cli.KeelInProcess;
import io.keel.store.apply.Alarms;
import io.keel.store.apply.Members;
import io.keel.store.lease.Lessor;
import io.keel.store.mvcc.Bytes;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.raft.SnapshotFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel snapshot restore|status} on files written as {@code etcdctl snapshot save} writes a
 * Keel member's snapshot, and a restored data dir started with other flags than it was restored
 * for. (A whole cluster's recovery: {@code KeelDisasterRecoveryTest}.)
 */
class SnapshotCommandTest {
  @TempDir
  Path dir;

  /** Three writes on a store that starts at revision 1, as etcd: a=1, b=2, a=3, revision 4. */
  private static byte[] snapshotBody() throws IOException {
    MvccStore store = new MvccStore();
    for (String[] kv : new String[][] {{"a", "1"}, {"b", "2"}, {"a", "3"}}) {
      try (var txn = store.beginWrite()) {
        txn.put(bytes(kv[0]), bytes(kv[1]), 0);
      }
    }
    var out = new ByteArrayOutputStream();
    SnapshotFormat.write(out, store, new Lessor(Clock.systemUTC(), 2), new Alarms(1), new Members());
    return out.toByteArray();
  }

  private static Bytes bytes(String s) {
    return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  /** As a member streams it: padded to 512 bytes, then the SHA-256 of all that. */
  private Path saved(byte[] body) throws Exception {
    byte[] padded = Arrays.copyOf(body, (body.length + 511) / 512 * 512);
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(padded);
    byte[] file = Arrays.copyOf(padded, padded.length + hash.length);
    System.arraycopy(hash, 0, file, padded.length, hash.length);
    return Files.write(dir.resolve("saved.db"), file);
  }

  /** etcd's restore keeps users, roles and the enabled flag; so does Keel's. */
  @Test
  void restoreKeepsTheAuthStore() throws Exception {
    var auth = new io.keel.store.auth.AuthStore(
        new io.keel.store.auth.Tokens(Clock.systemUTC(), io.keel.store.auth.Tokens.DEFAULT_TTL));
    auth.userAdd("root", io.keel.store.auth.Passwords.hash("rootpw"));
    auth.grantRole("root", io.keel.store.auth.AuthStore.ROOT);
    auth.enable();
    var out = new ByteArrayOutputStream();
    SnapshotFormat.write(out, new MvccStore(), new Lessor(Clock.systemUTC(), 2), new Alarms(1),
        new Members(), auth);
    Path file = saved(out.toByteArray());
    var restored = KeelInProcess.run("snapshot", "restore", file.toString(), "--data-dir",
        dir.resolve("m1").toString(), "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:1",
        "--initial-advertise-peer-urls", "http://127.0.0.1:1");
    assertThat(restored.exit()).as(restored.stderr()).isZero();
    var seeded = new io.keel.store.auth.AuthStore(
        new io.keel.store.auth.Tokens(Clock.systemUTC(), io.keel.store.auth.Tokens.DEFAULT_TTL));
    try (var in = Files.newInputStream(dir.resolve("m1").resolve("restore.snap"))) {
      SnapshotFormat.read(in, "restore.snap", new MvccStore(), new Lessor(Clock.systemUTC(), 2),
          new Alarms(1), new Members(), seeded);
    }
    assertThat(seeded.enabled()).isTrue();
    assertThat(seeded.user("root").roles()).containsExactly("root");
    assertThat(seeded.checkPassword("root", "rootpw")).isEqualTo(auth.revision());
  }

  @Test
  void statusDescribesASavedSnapshot() throws Exception {
    Path file = saved(snapshotBody());
    var table = KeelInProcess.run("snapshot", "status", file.toString(), "-w", "table");
    assertThat(table.exit()).as(table.stderr()).isZero();
    assertThat(table.stdout()).contains("| REVISION | TOTAL KEYS |").containsPattern("\\|\\s+4 \\|\\s+2 \\|");
    var json = KeelInProcess.run("snapshot", "status", file.toString(), "-w", "json");
    assertThat(json.stdout()).contains("\"revision\":4,\"totalKey\":2,\"totalSize\":" + Files.size(file));
  }

  @Test
  void restoreWritesADataDirForTheNamedMember() throws Exception {
    Path file = saved(snapshotBody());
    var restored = KeelInProcess.run("snapshot", "restore", file.toString(), "--data-dir",
        dir.resolve("m1").toString(), "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:1",
        "--initial-advertise-peer-urls", "http://127.0.0.1:1");
    assertThat(restored.exit()).as(restored.stderr()).isZero();
    assertThat(restored.stderr()).contains("revision 4, 2 keys");
    assertThat(dir.resolve("m1").resolve("restore.snap")).isRegularFile();
    assertThat(Files.readString(dir.resolve("m1").resolve("restore.member"))).contains("name=m1");
  }

  @Test
  void aFileCopiedFromADataDirNeedsSkipHashCheck() throws Exception {
    Path raw = Files.write(dir.resolve("raw.snap"), snapshotBody());
    var refused = KeelInProcess.run("snapshot", "restore", raw.toString(), "--data-dir",
        dir.resolve("r1").toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.stderr()).contains("snapshot missing hash but --skip-hash-check=false");
    var skipped = KeelInProcess.run("snapshot", "restore", raw.toString(), "--skip-hash-check",
        "--data-dir", dir.resolve("r2").toString());
    assertThat(skipped.exit()).as(skipped.stderr()).isZero();
  }

  @Test
  void badInputIsRefusedNamingTheProblem() throws Exception {
    Path file = saved(snapshotBody());
    var missing = KeelInProcess.run("snapshot", "restore", dir.resolve("nope.db").toString(),
        "--data-dir", dir.resolve("x").toString());
    assertThat(missing.stderr()).contains("nope.db: no such file or directory");
    var otherMember = KeelInProcess.run("snapshot", "restore", file.toString(), "--data-dir",
        dir.resolve("y").toString(), "--name", "m9", "--initial-cluster", "m1=http://127.0.0.1:1");
    assertThat(otherMember.stderr()).contains("--initial-cluster has no member named 'm9'");
    byte[] body = snapshotBody();
    Path notKeel = saved(Arrays.copyOf("not a snapshot".getBytes(StandardCharsets.UTF_8), body.length));
    var garbage = KeelInProcess.run("snapshot", "status", notKeel.toString());
    assertThat(garbage.exit()).isEqualTo(1);
    assertThat(garbage.stderr()).contains("not a Keel snapshot");
    var format = KeelInProcess.run("snapshot", "status", file.toString(), "-w", "yaml");
    assertThat(format.stderr()).contains("--write-out must be simple, table or json");
  }

  @Test
  void aRestoredDataDirStartedAsAnotherMemberIsRefused() throws Exception {
    Path file = saved(snapshotBody());
    Path data = dir.resolve("m1");
    assertThat(KeelInProcess.run("snapshot", "restore", file.toString(), "--data-dir", data.toString(),
        "--name", "m1", "--initial-cluster", "m1=http://127.0.0.1:1",
        "--initial-advertise-peer-urls", "http://127.0.0.1:1").exit()).isZero();
    var started = KeelInProcess.store(data, "--name", "m2", "--initial-cluster", "m2=http://127.0.0.1:1",
        "--initial-advertise-peer-urls", "http://127.0.0.1:1", "--listen-peer-urls", "http://127.0.0.1:0",
        "--listen-client-urls", "http://127.0.0.1:0");
    assertThat(started.exit()).isNotZero();
    assertThat(started.stderr()).contains("was restored for --name m1 but the member is started with --name m2");
  }
}
