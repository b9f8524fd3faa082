package io.keel.store.raft;

import io.etcd.jetcd.api.AlarmType;
import io.keel.store.apply.Alarms;
import io.keel.store.apply.Members;
import io.keel.store.auth.AuthStore;
import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Permission;
import io.keel.store.lease.Lessor;
import io.keel.store.mvcc.Bytes;
import io.keel.store.mvcc.KeyValue;
import io.keel.store.mvcc.MvccStore;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The state machine's snapshot file: every retained key version, the revisions, leases and
 * alarms, members and (since version 3) the auth store, followed by a CRC32C of everything
 * before it. Written and read as a stream; version 2 files (no auth store) are still read.
 */
public final class SnapshotFormat {
  private static final long MAGIC = 0x4b45454c534e4150L;
  private static final int VERSION = 3;
  private static final int WITHOUT_AUTH = 2;

  private SnapshotFormat() {}

  /** Captures the current state (without a member list) and writes it. */
  public static void write(OutputStream raw, MvccStore store, Lessor lessor, Alarms alarms)
      throws IOException {
    write(raw, store, lessor, alarms, new Members());
  }

  /** Captures the current state (auth disabled, no users) and writes it. */
  public static void write(OutputStream raw, MvccStore store, Lessor lessor, Alarms alarms,
      Members members) throws IOException {
    write(raw, store, lessor, alarms, members, AuthStore.withDefaultTokens());
  }

  /** Captures the current state and writes it. */
  public static void write(OutputStream raw, MvccStore store, Lessor lessor, Alarms alarms,
      Members members, AuthStore auth) throws IOException {
    try (StateCapture capture = StateCapture.of(store, lessor, alarms, members, auth)) {
      write(raw, capture);
    }
  }

  /** Writes a captured state; may run on any thread while writes go on. */
  public static void write(OutputStream raw, StateCapture capture) throws IOException {
    CRC32C crc = new CRC32C();
    // buffer before the checksum, so the CRC runs over whole blocks, not each field
    var block = new SnapshotOutput(new CheckedOutputStream(raw, crc));
    var out = new DataOutputStream(block);
    out.writeLong(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(capture.store().revision());
    out.writeLong(capture.store().compactRevision());
    try {
      capture.store().forEachVersion(block::writeVersion);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.writeBoolean(false);
    out.writeInt(capture.leases().size());
    for (Lessor.LeaseRecord lease : capture.leases()) {
      out.writeLong(lease.id());
      out.writeLong(lease.ttlSeconds());
      out.writeInt(lease.keys().size());
      for (Bytes key : lease.keys()) {
        writeBytes(out, key);
      }
    }
    out.writeInt(capture.alarms().size());
    for (Alarms.Alarm a : capture.alarms()) {
      out.writeLong(a.memberId());
      out.writeInt(a.type().getNumber());
    }
    out.writeInt(capture.members().size());
    for (Members.Member m : capture.members()) {
      out.writeLong(m.id());
      out.writeUTF(m.name());
      writeStrings(out, m.peerUrls());
      writeStrings(out, m.clientUrls());
      out.writeBoolean(m.learner());
    }
    writeAuth(out, capture.auth());
    out.flush();
    new DataOutputStream(raw).writeLong(crc.getValue());
    raw.flush();
  }

  private static void writeAuth(DataOutputStream out, AuthStore.State auth) throws IOException {
    out.writeBoolean(auth.enabled());
    out.writeLong(auth.revision());
    out.writeInt(auth.users().size());
    for (AuthStore.User u : auth.users()) {
      out.writeUTF(u.name());
      out.writeUTF(u.passwordHash());
      writeStrings(out, u.roles());
    }
    out.writeInt(auth.roles().size());
    for (AuthStore.Role r : auth.roles()) {
      out.writeUTF(r.name());
      out.writeInt(r.permissions().size());
      for (Permission p : r.permissions()) {
        writeBytes(out, Bytes.wrap(p.toByteArray()));
      }
    }
  }

  private static AuthStore.State readAuth(DataInputStream in, String name) throws IOException {
    boolean enabled = in.readBoolean();
    long revision = in.readLong();
    int userCount = checkedCount(in.readInt(), name, "user");
    List<AuthStore.User> users = new ArrayList<>();
    for (int i = 0; i < userCount; i++) {
      users.add(new AuthStore.User(in.readUTF(), in.readUTF(), readStrings(in, name)));
    }
    int roleCount = checkedCount(in.readInt(), name, "role");
    List<AuthStore.Role> roles = new ArrayList<>();
    for (int i = 0; i < roleCount; i++) {
      String role = in.readUTF();
      int permCount = checkedCount(in.readInt(), name, "permission");
      List<Permission> perms = new ArrayList<>();
      for (int k = 0; k < permCount; k++) {
        perms.add(Permission.parseFrom(readBytes(in, name).array()));
      }
      roles.add(new AuthStore.Role(role, List.copyOf(perms)));
    }
    return new AuthStore.State(enabled, revision, users, roles);
  }

  private static int checkedCount(int n, String name, String what) throws IOException {
    if (n < 0 || n > 1 << 20) {
      throw new CorruptSnapshotException(name, "bad " + what + " count " + n);
    }
    return n;
  }

  private static void writeStrings(DataOutputStream out, List<String> strings)
      throws IOException {
    out.writeInt(strings.size());
    for (String s : strings) {
      out.writeUTF(s);
    }
  }

  private static List<String> readStrings(DataInputStream in, String name) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1024) {
      throw new CorruptSnapshotException(name, "bad list length " + n);
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readUTF());
    }
    return out;
  }

  private static void writeBytes(DataOutputStream out, Bytes b) throws IOException {
    out.writeInt(b.size());
    out.write(b.array());
  }

  /**
   * Replaces the contents of {@code store}, {@code lessor} and {@code alarms} with the snapshot.
   *
   * @throws CorruptSnapshotException when the stream is truncated, malformed or fails its checksum
   */
  public static void read(InputStream raw, String name, MvccStore store, Lessor lessor,
      Alarms alarms) throws IOException {
    read(raw, name, store, lessor, alarms, new Members());
  }

  /** Replaces the store, lessor, alarms and member list with the snapshot's; ignores its auth. */
  public static void read(InputStream raw, String name, MvccStore store, Lessor lessor,
      Alarms alarms, Members members) throws IOException {
    read(raw, name, store, lessor, alarms, members, AuthStore.withDefaultTokens());
  }

  /**
   * Replaces the contents of the store, lessor, alarms, member list and auth store with the
   * snapshot's.
   *
   * @throws CorruptSnapshotException when the stream is truncated, malformed or fails its checksum
   */
  public static void read(InputStream raw, String name, MvccStore store, Lessor lessor,
      Alarms alarms, Members members, AuthStore auth) throws IOException {
    CRC32C crc = new CRC32C();
    var buffered = new BufferedInputStream(raw, 1 << 16);
    var in = new DataInputStream(new CheckedInputStream(buffered, crc));
    try {
      if (in.readLong() != MAGIC) {
        throw new CorruptSnapshotException(name, "not a Keel snapshot (bad magic number)");
      }
      int version = in.readInt();
      if (version != VERSION && version != WITHOUT_AUTH) {
        throw new CorruptSnapshotException(name, "unsupported snapshot version " + version);
      }
      long current = in.readLong();
      long compacted = in.readLong();
      List<MvccStore.Versioned> versions = new ArrayList<>();
      Bytes previousKey = null;
      while (in.readBoolean()) {
        Bytes key = readBytes(in, name);
        // a key's versions come one after another: they share one copy of the key
        if (key.equals(previousKey)) {
          key = previousKey;
        }
        previousKey = key;
        long create = in.readLong();
        long mod = in.readLong();
        long ver = in.readLong();
        long lease = in.readLong();
        int sub = in.readInt();
        Bytes value = readBytes(in, name);
        versions.add(new MvccStore.Versioned(new KeyValue(key, create, mod, ver, value, lease), sub));
      }
      int leaseCount = in.readInt();
      record LeaseEntry(long id, long ttl, List<Bytes> keys) {}
      List<LeaseEntry> leases = new ArrayList<>();
      for (int i = 0; i < leaseCount; i++) {
        long id = in.readLong();
        long ttl = in.readLong();
        int n = in.readInt();
        if (n < 0) {
          throw new CorruptSnapshotException(name, "bad key count " + n);
        }
        List<Bytes> keys = new ArrayList<>(Math.min(n, 1 << 16));
        for (int k = 0; k < n; k++) {
          keys.add(readBytes(in, name));
        }
        leases.add(new LeaseEntry(id, ttl, keys));
      }
      int alarmCount = in.readInt();
      List<Alarms.Alarm> alarmList = new ArrayList<>();
      for (int i = 0; i < alarmCount; i++) {
        alarmList.add(new Alarms.Alarm(in.readLong(), AlarmType.forNumber(in.readInt())));
      }
      int memberCount = in.readInt();
      if (memberCount < 0 || memberCount > 1024) {
        throw new CorruptSnapshotException(name, "bad member count " + memberCount);
      }
      List<Members.Member> memberList = new ArrayList<>();
      for (int i = 0; i < memberCount; i++) {
        memberList.add(new Members.Member(in.readLong(), in.readUTF(), readStrings(in, name),
            readStrings(in, name), in.readBoolean()));
      }
      AuthStore.State authState = version == WITHOUT_AUTH
          ? AuthStore.withDefaultTokens().capture() : readAuth(in, name);
      long expected = crc.getValue();
      long stored = new DataInputStream(buffered).readLong();
      if (stored != expected) {
        throw new CorruptSnapshotException(name, "checksum mismatch");
      }
      store.restore(versions, current, compacted);
      lessor.clear();
      leases.forEach(l -> lessor.restore(l.id(), l.ttl(), l.keys()));
      alarms.clear();
      alarmList.forEach(a -> alarms.activate(a.memberId(), a.type()));
      members.restore(memberList);
      auth.restore(authState);
    } catch (EOFException e) {
      throw new CorruptSnapshotException(name, "truncated");
    }
  }

  private static Bytes readBytes(DataInputStream in, String name) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 64 << 20) {
      throw new CorruptSnapshotException(name, "bad length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return Bytes.wrap(b);
  }

  /** A snapshot that cannot be trusted; names the file and the problem. */
  public static final class CorruptSnapshotException extends IOException {
    public CorruptSnapshotException(String name, String problem) {
      super("corrupt snapshot " + name + ": " + problem);
    }
  }

}
