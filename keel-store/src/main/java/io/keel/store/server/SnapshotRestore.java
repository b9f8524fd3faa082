package io.keel.store.server;

import io.keel.store.apply.Alarms;
import io.keel.store.apply.Members;
import io.keel.store.auth.AuthStore;
import io.keel.store.lease.Lessor;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.raft.SnapshotFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * etcd's disaster recovery for Keel: {@code etcdctl snapshot save} takes a Keel snapshot from a
 * running member; {@link #restore} turns it into a data dir a member of a <em>new</em> cluster
 * starts from, as {@code etcdctl snapshot restore} does for etcd. The data dir holds the
 * snapshot's keys, revisions, compaction and leases ({@value #SEED_FILE}, without the old member
 * list and alarms: the new cluster lists its own members) and the member it was restored for
 * ({@value #TARGET_FILE}). Every member of the new cluster is restored from the same snapshot; a
 * member starts from the seed until it has snapshots of its own.
 */
public final class SnapshotRestore {
  public static final String SEED_FILE = "restore.snap";
  public static final String TARGET_FILE = "restore.member";
  private static final int HASH_BYTES = 32;
  private static final int ALIGNMENT = 512;

  /**
   * The member a data dir is restored for: etcdctl's {@code snapshot restore} flags.
   *
   * @param initialCluster as given to {@code --initial-cluster}
   */
  public record Target(String name, String initialCluster, String clusterToken,
      List<URI> advertisePeerUrls) {}

  /**
   * What a snapshot holds, as {@code etcdctl snapshot status} describes it.
   *
   * @param hash the file's CRC32C
   * @param keys keys with a retained version
   * @param totalSize the file's size
   */
  public record Summary(long hash, long revision, long compactRevision, int keys,
      long totalSize) {}

  private SnapshotRestore() {}

  /**
   * Writes a new member's data dir from a snapshot file.
   *
   * @throws IOException naming the problem: the data dir exists, the file is missing, its SHA-256
   *     is missing or wrong (unless {@code skipHashCheck}, for a file copied from a data dir), or
   *     it is not a whole Keel snapshot
   */
  public static Summary restore(Path snapshot, Path dataDir, Target target, boolean skipHashCheck)
      throws IOException {
    if (Files.exists(dataDir)) {
      throw new IOException("data-dir \"" + dataDir + "\" exists");
    }
    State state = read(snapshot, skipHashCheck);
    Files.createDirectories(dataDir);
    Path seed = dataDir.resolve(SEED_FILE);
    Path part = dataDir.resolve(SEED_FILE + ".part");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part))) {
      SnapshotFormat.write(out, state.store, state.lessor, new Alarms(0), new Members(),
          state.auth);
    }
    try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(part, seed);
    writeTarget(dataDir.resolve(TARGET_FILE), target);
    return state.summary;
  }

  /** Reads a snapshot file whole (checksums included) and describes it. */
  public static Summary status(Path snapshot) throws IOException {
    return read(snapshot, true).summary;
  }

  /** The seed a data dir was restored with, if it was. */
  public static Optional<Path> seed(Path dataDir) {
    Path seed = dataDir.resolve(SEED_FILE);
    return Files.isRegularFile(seed) ? Optional.of(seed) : Optional.empty();
  }

  /**
   * Refuses to start a new member on a restored data dir with other flags than it was restored
   * for: its member id, cluster id and the member list would not be the restore's.
   */
  public static void checkStartedAsRestored(Path dataDir, StoreConfig config) throws IOException {
    Path file = dataDir.resolve(TARGET_FILE);
    if (!Files.isRegularFile(file)) {
      return;
    }
    Properties restored = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      restored.load(in);
    }
    Map<String, List<URI>> restoredCluster =
        StoreConfig.cluster(restored.getProperty("initial-cluster", ""));
    List<URI> restoredPeers =
        StoreConfig.urls("--initial-advertise-peer-urls", restored.getProperty("peer-urls", ""));
    mustMatch(dataDir, "--name", restored.getProperty("name"), config.name());
    mustMatch(dataDir, "--initial-cluster", restoredCluster, config.initialCluster());
    mustMatch(dataDir, "--initial-cluster-token", restored.getProperty("token"),
        config.initialClusterToken());
    mustMatch(dataDir, "--initial-advertise-peer-urls", restoredPeers,
        config.initialAdvertisePeerUrls());
    if (!config.initialClusterState().equals("new")) {
      throw new IOException("data dir " + dataDir + " was restored from a snapshot for a new"
          + " cluster: start it with --initial-cluster-state new");
    }
  }

  private static void mustMatch(Path dataDir, String flag, Object restored, Object started)
      throws IOException {
    if (!Objects.equals(restored, started)) {
      throw new IOException("data dir " + dataDir + " was restored for " + flag + " " + restored
          + " but the member is started with " + flag + " " + started
          + ": start it with the flags given to `keel snapshot restore`, or restore again");
    }
  }

  private static void writeTarget(Path file, Target target) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("name", target.name());
    properties.setProperty("initial-cluster", target.initialCluster());
    properties.setProperty("token", target.clusterToken());
    properties.setProperty("peer-urls", String.join(",",
        target.advertisePeerUrls().stream().map(URI::toString).toList()));
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(out, "the member `keel snapshot restore` wrote this data dir for");
    }
  }

  private record State(MvccStore store, Lessor lessor, AuthStore auth, Summary summary) {}

  private static State read(Path snapshot, boolean skipHashCheck) throws IOException {
    long size;
    try {
      size = Files.size(snapshot);
    } catch (NoSuchFileException e) {
      throw new IOException("open " + snapshot + ": no such file or directory", e);
    }
    boolean hashed = size % ALIGNMENT == HASH_BYTES;
    if (!skipHashCheck) {
      if (!hashed) {
        throw new IOException("snapshot missing hash but --skip-hash-check=false");
      }
      checkHash(snapshot, size);
    }
    var store = new MvccStore();
    var lessor = new Lessor(Clock.systemUTC(), StoreConfig.MIN_LEASE_TTL_SECONDS);
    var auth = AuthStore.withDefaultTokens();
    var checksum = new java.util.zip.CRC32C();
    try (InputStream in = new java.util.zip.CheckedInputStream(
        Files.newInputStream(snapshot), checksum)) {
      SnapshotFormat.read(in, snapshot.toString(), store, lessor, new Alarms(0), new Members(),
          auth);
      in.transferTo(OutputStream.nullOutputStream()); // the hash covers the whole file
    }
    return new State(store, lessor, auth, new Summary(checksum.getValue(), store.currentRevision(),
        store.compactRevision(), store.keyCount(), size));
  }

  private static void checkHash(Path snapshot, long size) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] stored = new byte[HASH_BYTES];
    try (FileChannel channel = FileChannel.open(snapshot)) {
      InputStream body = Channels.newInputStream(channel);
      byte[] buffer = new byte[1 << 16];
      for (long left = size - HASH_BYTES; left > 0; ) {
        int n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException(snapshot + ": truncated while checking its hash");
        }
        sha.update(buffer, 0, n);
        left -= n;
      }
      if (body.readNBytes(stored, 0, HASH_BYTES) != HASH_BYTES) {
        throw new IOException(snapshot + ": truncated while checking its hash");
      }
    }
    byte[] computed = sha.digest();
    if (!MessageDigest.isEqual(stored, computed)) {
      throw new IOException("expected sha256 " + HexFormat.of().formatHex(stored) + ", got "
          + HexFormat.of().formatHex(computed));
    }
  }
}
