package io.keel.store.raft;

import static io.keel.store.apply.Requests.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.store.apply.Alarms;
import io.keel.store.apply.Applier;
import io.keel.store.lease.Lessor;
import io.keel.store.lease.MutableClock;
import io.keel.store.mvcc.MvccStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotFileOutputTest {
  /** File systems known to take O_DIRECT writes; tmpfs refuses them, others may go either way. */
  private static final Set<String> DIRECT_FILE_SYSTEMS = Set.of("ext4", "xfs", "btrfs");

  @TempDir
  Path dir;

  /** Sizes around the 1 MiB buffer and the file system's block, direct and through the cache. */
  @ParameterizedTest
  @CsvSource({"0,true", "1,true", "4095,true", "4097,true", "1048576,true", "1048577,true",
      "3000001,true", "0,false", "4097,false", "3000001,false"})
  void theFileHoldsExactlyTheBytesWritten(int size, boolean tryDirect) throws IOException {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    Path file = dir.resolve("snapshot");
    Files.write(file, new byte[5_000_000]); // an older, longer file of the same name
    try (SnapshotFileOutput out = SnapshotFileOutput.create(file, tryDirect)) {
      String fileSystem = Files.getFileStore(dir).type();
      if (!tryDirect || fileSystem.equals("tmpfs")) {
        assertThat(out.direct()).as("direct on %s", fileSystem).isFalse();
      } else if (DIRECT_FILE_SYSTEMS.contains(fileSystem)) {
        assertThat(out.direct()).as("direct on %s", fileSystem).isTrue();
      }
      if (size > 0) {
        out.write(bytes[0]);
        out.write(bytes, 1, size / 3);
        out.write(bytes, 1 + size / 3, size - 1 - size / 3);
      }
      assertThat(out.length()).isEqualTo(size);
      out.finish();
      assertThat(out.length()).isEqualTo(size);
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @CsvSource({"true", "false"})
  void aSnapshotFileHoldsTheSameBytesAsTheSnapshotStream(boolean tryDirect) throws IOException {
    MvccStore store = new MvccStore();
    Lessor lessor = new Lessor(new MutableClock(), 5);
    Alarms alarms = new Alarms(1);
    Applier applier = new Applier(store, lessor, alarms, Long.MAX_VALUE);
    Random random = new Random(7);
    for (int i = 0; i < 3_000; i++) {
      byte[] value = new byte[random.nextInt(1_000)];
      random.nextBytes(value);
      applier.put(put("key-" + random.nextInt(500), new String(value, StandardCharsets.ISO_8859_1)));
    }
    var stream = new ByteArrayOutputStream();
    SnapshotFormat.write(stream, store, lessor, alarms);
    Path file = dir.resolve("snapshot.1_3000");
    try (SnapshotFileOutput out = SnapshotFileOutput.create(file, tryDirect)) {
      SnapshotFormat.write(out, store, lessor, alarms);
      out.finish();
    }
    assertThat(stream.size()).isGreaterThan(1 << 20);
    assertThat(Files.readAllBytes(file)).isEqualTo(stream.toByteArray());
  }
}
