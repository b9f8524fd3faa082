package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFilesTest {
  @TempDir Path dir;
  private RaftStorage raftStorage;
  private final SnapshotFiles files = new SnapshotFiles();

  @BeforeEach
  void storage() throws IOException {
    raftStorage = RaftStorage.newBuilder().setDirectory(dir.toFile())
        .setOption(RaftStorage.StartupOption.FORMAT)
        .setLogCorruptionPolicy(RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION)
        .setStorageFreeSpaceMin(SizeInBytes.ONE_KB).build();
    raftStorage.initialize();
    files.init(raftStorage);
  }

  @AfterEach
  void close() throws IOException {
    raftStorage.close();
  }

  private File snapshot(long term, long index, boolean withMd5) throws IOException {
    File file = files.getSnapshotFile(term, index);
    Files.writeString(file.toPath(), "snapshot " + index);
    if (withMd5) {
      MD5FileUtil.computeAndSaveMd5ForFile(file);
    }
    return file;
  }

  private Stream<String> names() throws IOException {
    return Files.list(files.getSnapshotFile(0, 0).getParentFile().toPath())
        .map(p -> p.getFileName().toString()).sorted();
  }

  @Test
  void theNewestSnapshotIsTheLatestWhetherOrNotItHasAnMd5File() throws IOException {
    snapshot(1, 100, true);
    snapshot(2, 500, false);
    snapshot(1, 300, true);

    assertThat(files.loadLatestSnapshot().getIndex()).isEqualTo(500);
    assertThat(files.getLatestSnapshot().getTermIndex().getTerm()).isEqualTo(2);
  }

  @Test
  void anEmptyDirectoryHasNoLatestSnapshot() {
    assertThat(files.loadLatestSnapshot()).isNull();
  }

  @Test
  void cleanupKeepsTheNewestSnapshotsAndDeletesTheRestWithTheirMd5Files() throws IOException {
    snapshot(1, 100, true);
    snapshot(1, 300, false);
    snapshot(2, 500, true);
    snapshot(2, 700, false);
    files.loadLatestSnapshot();

    SnapshotRetentionPolicy keepTwo = new SnapshotRetentionPolicy() {
      @Override
      public int getNumSnapshotsRetained() {
        return 2;
      }
    };
    files.cleanupOldSnapshots(keepTwo);

    assertThat(names()).containsExactly("snapshot.2_500", "snapshot.2_500.md5", "snapshot.2_700");
  }

  @Test
  void aListingThatFoundNoneIsRememberedUntilASnapshotIsRecordedOrTheDirectoryIsListedAgain()
      throws IOException {
    assertThat(files.getLatestSnapshot()).isNull();
    File unrecorded = snapshot(1, 100, false);

    assertThat(files.getLatestSnapshot()).as("not listed again on every call").isNull();
    assertThat(files.loadLatestSnapshot().getIndex()).isEqualTo(100);
    assertThat(files.getLatestSnapshot().getFile().getPath()).isEqualTo(unrecorded.toPath());

    files.updateLatestSnapshot(new SingleFileSnapshotInfo(
        new FileInfo(snapshot(2, 300, false).toPath(), null),
        TermIndex.valueOf(2, 300)));
    assertThat(files.getLatestSnapshot().getIndex()).isEqualTo(300);
  }
}
