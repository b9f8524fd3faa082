package io.keel.store.raft;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The state machine's snapshot files, named as Ratis names them ({@code snapshot.<term>_<index>}),
 * but without the MD5 side file for the snapshots Keel writes. Computing that MD5 took two thirds
 * of a snapshot's CPU, and nothing needs it: a Keel snapshot carries its own CRC32C, appears under
 * its final name only once complete (written aside, then renamed), and Ratis computes the MD5
 * itself when it sends a snapshot to a follower.
 *
 * <p>Ratis's own storage treats a snapshot without an MD5 file as unfinished: it would load an
 * older snapshot that has one (one installed from a leader, or written by an earlier Keel) and
 * never delete the rest. So here the newest snapshot by index is the latest, MD5 file or not, and
 * the retention policy counts every snapshot.
 *
 * <p>Ratis asks for the latest snapshot each time it applies entries; its storage lists the
 * directory again on every call while it holds none, so until a member's first snapshot every
 * applied entry cost a directory listing. Here a listing that found none is remembered until a
 * snapshot is recorded or the directory is listed again (a reload after a snapshot install).
 */
final class SnapshotFiles extends SimpleStateMachineStorage {
  private final AtomicReference<SingleFileSnapshotInfo> latest = new AtomicReference<>();
  private volatile boolean listedNone;
  private long cleanedFor = -1;

  @Override
  public SingleFileSnapshotInfo getLatestSnapshot() {
    SingleFileSnapshotInfo known = latest.get();
    return known != null || listedNone ? known : loadLatestSnapshot();
  }

  @Override
  public SingleFileSnapshotInfo loadLatestSnapshot() {
    List<SingleFileSnapshotInfo> all = listNewestFirst();
    if (all.isEmpty()) {
      listedNone = true;
      return latest.get();
    }
    return updateLatestSnapshot(all.get(0));
  }

  @Override
  public SingleFileSnapshotInfo updateLatestSnapshot(SingleFileSnapshotInfo info) {
    return latest.accumulateAndGet(super.updateLatestSnapshot(info),
        (known, now) -> known == null || now.getIndex() > known.getIndex() ? now : known);
  }

  /** Keeps the policy's number of newest snapshots and deletes the rest with their MD5 files. */
  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    SingleFileSnapshotInfo latest = getLatestSnapshot();
    int keep = policy == null ? 0 : policy.getNumSnapshotsRetained();
    if (latest == null || latest.getIndex() == cleanedFor || keep <= 0) {
      return;
    }
    cleanedFor = latest.getIndex();
    List<SingleFileSnapshotInfo> all = listNewestFirst();
    for (SingleFileSnapshotInfo old : all.subList(Math.min(keep, all.size()), all.size())) {
      Path file = old.getFile().getPath();
      Files.deleteIfExists(MD5FileUtil.getDigestFileForFile(file.toFile()).toPath());
      Files.deleteIfExists(file);
    }
  }

  private List<SingleFileSnapshotInfo> listNewestFirst() {
    File dir = getSnapshotFile(0, 0).getParentFile();
    List<SingleFileSnapshotInfo> found = new ArrayList<>();
    if (!dir.isDirectory()) {
      return found;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.toPath())) {
      for (Path path : stream) {
        if (SNAPSHOT_REGEX.matcher(path.getFileName().toString()).matches()) {
          found.add(new SingleFileSnapshotInfo(new FileInfo(path, null),
              getTermIndexFromSnapshotFile(path.toFile())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list snapshots in " + dir, e);
    }
    found.sort(Comparator.comparingLong(SingleFileSnapshotInfo::getIndex).reversed());
    return found;
  }
}
