package io.keel.store.raft;

import static io.keel.store.apply.Requests.delete;
import static io.keel.store.apply.Requests.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.keel.store.apply.Alarms;
import io.keel.store.apply.Applier;
import io.keel.store.lease.Lease;
import io.keel.store.lease.Lessor;
import io.keel.store.lease.MutableClock;
import io.keel.store.mvcc.Bytes;
import io.keel.store.mvcc.KeyRange;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.mvcc.RangeOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnapshotFormatTest {
  private static final String NAME = "/data/sm/snapshot.3_42";
  private static final KeyRange ALL = new KeyRange(Bytes.ZERO, Bytes.ZERO);

  private final MutableClock clock = new MutableClock();
  private final MvccStore store = new MvccStore();
  private final Lessor lessor = new Lessor(clock, 5);
  private final Alarms alarms = new Alarms(1);
  private final Applier applier = new Applier(store, lessor, alarms, Long.MAX_VALUE);

  @BeforeEach
  void fixture() {
    applier.leaseGrant(LeaseGrantRequest.newBuilder().setID(10).setTTL(30).build());
    applier.leaseGrant(LeaseGrantRequest.newBuilder().setID(20).setTTL(60).build());
    applier.leaseGrant(LeaseGrantRequest.newBuilder().setID(30).setTTL(90).build());
    applier.put(put("a", "1")); // 2
    applier.put(put("b", "1", 10)); // 3
    applier.put(put("a", "2")); // 4
    applier.put(put("c", "1", 10)); // 5
    applier.deleteRange(delete("a")); // 6
    applier.put(put("d", "\u00ff binary", 20)); // 7
    applier.compact(CompactionRequest.newBuilder().setRevision(5).build());
    applier.put(put("a", "3")); // 8
    applier.put(put("e", "")); // 9
    alarms.activate(1, AlarmType.NOSPACE);
    alarms.activate(2, AlarmType.NOSPACE);
  }

  private byte[] snapshot() throws IOException {
    var out = new ByteArrayOutputStream();
    SnapshotFormat.write(out, store, lessor, alarms);
    return out.toByteArray();
  }

  private record Target(MvccStore store, Lessor lessor, Alarms alarms) {
    Target() {
      this(new MvccStore(), new Lessor(new MutableClock(Instant.parse("2030-01-01T00:00:00Z")),
          5), new Alarms(2));
    }
  }

  private static Map<Long, Set<Bytes>> leases(Lessor lessor) {
    return lessor.all().stream().collect(Collectors.toMap(Lease::id, Lease::keys));
  }

  @Test
  void roundTripGivesTheSameState() throws IOException {
    Target t = new Target();
    SnapshotFormat.read(new ByteArrayInputStream(snapshot()), NAME, t.store(), t.lessor(),
        t.alarms());

    assertThat(t.store().currentRevision()).isEqualTo(9);
    assertThat(t.store().compactRevision()).isEqualTo(5);
    assertThat(t.store().sizeBytes()).isEqualTo(store.sizeBytes());
    for (long rev = 5; rev <= 9; rev++) {
      var options = new RangeOptions(0, rev, false);
      assertThat(t.store().range(ALL, options)).as("revision %d", rev)
          .isEqualTo(store.range(ALL, options));
    }
    assertThat(t.store().range(ALL, RangeOptions.ALL).kvs()).extracting(kv -> kv.key().toString())
        .containsExactly("a", "b", "c", "d", "e");
    assertThat(t.store().eventsFrom(5, 100)).isEqualTo(store.eventsFrom(5, 100));

    assertThat(leases(t.lessor())).isEqualTo(Map.of(
        10L, Set.of(Bytes.of("b"), Bytes.of("c")),
        20L, Set.of(Bytes.of("d")),
        30L, Set.of()));
    assertThat(t.lessor().lookup(20).orElseThrow().ttlSeconds()).isEqualTo(60);
    assertThat(t.alarms().all()).containsExactlyInAnyOrder(
        new Alarms.Alarm(1, AlarmType.NOSPACE), new Alarms.Alarm(2, AlarmType.NOSPACE));
  }

  @Test
  void restoredLeasesGetAFreshTtlOnTheReadersClock() throws IOException {
    clock.advance(Duration.ofSeconds(25));
    MutableClock readerClock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    Lessor restored = new Lessor(readerClock, 5);
    SnapshotFormat.read(new ByteArrayInputStream(snapshot()), NAME, new MvccStore(), restored,
        new Alarms(1));
    Lease lease = restored.lookup(10).orElseThrow();
    assertThat(lease.expiry()).isEqualTo(readerClock.instant().plusSeconds(30));
  }

  @Test
  void readReplacesWhatWasThere() throws IOException {
    byte[] bytes = snapshot();
    Target t = new Target();
    t.lessor().grant(99, 10);
    t.alarms().activate(7, AlarmType.NOSPACE);
    try (var txn = t.store().beginWrite()) {
      txn.put(Bytes.of("stale"), Bytes.of("x"), 0);
    }
    SnapshotFormat.read(new ByteArrayInputStream(bytes), NAME, t.store(), t.lessor(), t.alarms());
    assertThat(t.lessor().exists(99)).isFalse();
    assertThat(t.alarms().all()).hasSize(2).doesNotContain(new Alarms.Alarm(7, AlarmType.NOSPACE));
    assertThat(t.store().range(KeyRange.single(Bytes.of("stale")), RangeOptions.ALL).count())
        .isZero();
    assertThat(t.store().keyCount()).isEqualTo(store.keyCount());
  }

  @Test
  void versionsBiggerThanTheWriteBufferRoundTrip() throws IOException {
    byte[] big = new byte[1_500_000];
    Arrays.fill(big, (byte) 7);
    for (int i = 0; i < 5; i++) {
      try (var txn = store.beginWrite()) {
        big[i] = (byte) i;
        txn.put(Bytes.of("big"), Bytes.wrap(big.clone()), 0);
        txn.put(Bytes.of("small" + i), Bytes.of("v" + i), 0);
      }
    }
    Target t = new Target();
    SnapshotFormat.read(new ByteArrayInputStream(snapshot()), NAME, t.store(), t.lessor(),
        t.alarms());
    for (long rev = 5; rev <= store.currentRevision(); rev++) {
      var options = new RangeOptions(0, rev, false);
      assertThat(t.store().range(ALL, options)).as("revision %d", rev)
          .isEqualTo(store.range(ALL, options));
    }
    assertThat(t.store().sizeBytes()).isEqualTo(store.sizeBytes());
  }

  @Test
  void anEmptyStoreRoundTrips() throws IOException {
    var out = new ByteArrayOutputStream();
    SnapshotFormat.write(out, new MvccStore(), new Lessor(clock, 5), new Alarms(1));
    Target t = new Target();
    SnapshotFormat.read(new ByteArrayInputStream(out.toByteArray()), NAME, t.store(), t.lessor(),
        t.alarms());
    assertThat(t.store().currentRevision()).isEqualTo(1);
    assertThat(t.store().keyCount()).isZero();
    assertThat(t.lessor().all()).isEmpty();
    assertThat(t.alarms().all()).isEmpty();
  }

  private static void assertCorrupt(byte[] bytes, String problem) {
    Target t = new Target();
    assertThatThrownBy(() -> SnapshotFormat.read(new ByteArrayInputStream(bytes), NAME,
        t.store(), t.lessor(), t.alarms()))
        .isInstanceOf(SnapshotFormat.CorruptSnapshotException.class)
        .hasMessageContaining(NAME)
        .hasMessageContaining(problem);
    // nothing was restored from it
    assertThat(t.store().currentRevision()).isEqualTo(1);
    assertThat(t.lessor().all()).isEmpty();
    assertThat(t.alarms().all()).isEmpty();
  }

  @Test
  void everyTruncationIsCorrupt() throws IOException {
    byte[] bytes = snapshot();
    for (int length = 0; length < bytes.length; length++) {
      assertCorrupt(Arrays.copyOf(bytes, length), "");
    }
    assertCorrupt(Arrays.copyOf(bytes, bytes.length - 1), "truncated");
  }

  @Test
  void everyFlippedByteIsCorrupt() throws IOException {
    byte[] bytes = snapshot();
    for (int mask : new int[] {0x01, 0xff}) {
      for (int i = 0; i < bytes.length; i++) {
        byte[] flipped = bytes.clone();
        flipped[i] ^= (byte) mask;
        assertCorrupt(flipped, "");
      }
    }
    var withMember = new ByteArrayOutputStream();
    var members = new io.keel.store.apply.Members();
    members.add(7, java.util.List.of("http://127.0.0.1:2380"), false);
    SnapshotFormat.write(withMember, store, lessor, alarms, members);
    byte[] lastBody = withMember.toByteArray();
    // the auth revision's last byte, before the user and role counts and the checksum: still a
    // well-formed snapshot, caught by the checksum alone
    lastBody[lastBody.length - 8 - 4 - 4 - 1] ^= 1;
    assertCorrupt(lastBody, "checksum mismatch");
  }

  @Test
  void aWrongMagicNumberIsCorrupt() throws IOException {
    byte[] bytes = snapshot();
    bytes[0] = 'X';
    assertCorrupt(bytes, "bad magic number");
    assertCorrupt("definitely not a snapshot, just text".getBytes(), "bad magic number");
  }

  @Test
  void theAuthStoreTravelsInTheSnapshot() throws IOException {
    var auth = new io.keel.store.auth.AuthStore(
        new io.keel.store.auth.Tokens(clock, Duration.ofSeconds(300)));
    auth.userAdd("root", "hash-of-root");
    auth.grantRole("root", io.keel.store.auth.AuthStore.ROOT);
    auth.roleAdd("reader");
    auth.grantPermission("reader", io.etcd.jetcd.api.Permission.newBuilder()
        .setKey(com.google.protobuf.ByteString.copyFromUtf8("k"))
        .setRangeEnd(com.google.protobuf.ByteString.copyFromUtf8("l")).build());
    auth.enable();
    var out = new ByteArrayOutputStream();
    SnapshotFormat.write(out, store, lessor, alarms, new io.keel.store.apply.Members(), auth);
    var restored = new io.keel.store.auth.AuthStore(
        new io.keel.store.auth.Tokens(clock, Duration.ofSeconds(300)));
    var t = new Applier(new MvccStore(), new Lessor(clock, 5), new Alarms(1), Long.MAX_VALUE);
    SnapshotFormat.read(new ByteArrayInputStream(out.toByteArray()), NAME, t.store(), t.lessor(),
        t.alarms(), new io.keel.store.apply.Members(), restored);
    assertThat(restored.capture()).isEqualTo(auth.capture());
  }

  /** A version 2 snapshot (before the auth store) still loads, with auth off and no users. */
  @Test
  void aSnapshotFromBeforeAuthLoads() throws IOException {
    byte[] v3 = snapshot();
    int authBytes = 1 + 8 + 4 + 4;
    byte[] body = Arrays.copyOf(v3, v3.length - 8 - authBytes);
    java.nio.ByteBuffer.wrap(body).putInt(8, 2);
    var crc = new java.util.zip.CRC32C();
    crc.update(body);
    byte[] v2 = Arrays.copyOf(body, body.length + 8);
    java.nio.ByteBuffer.wrap(v2).putLong(body.length, crc.getValue());
    var auth = new io.keel.store.auth.AuthStore(
        new io.keel.store.auth.Tokens(clock, Duration.ofSeconds(300)));
    auth.roleAdd("left over");
    var t = new Applier(new MvccStore(), new Lessor(clock, 5), new Alarms(1), Long.MAX_VALUE);
    SnapshotFormat.read(new ByteArrayInputStream(v2), NAME, t.store(), t.lessor(), t.alarms(),
        new io.keel.store.apply.Members(), auth);
    assertThat(t.store().currentRevision()).isEqualTo(store.currentRevision());
    assertThat(auth.enabled()).isFalse();
    assertThat(auth.roleNames()).isEmpty();
    assertThat(auth.revision()).isEqualTo(1);
  }
}
