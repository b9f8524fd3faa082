package io.keel.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
  @TempDir
  Path dataDir;

  @Test
  void secondHolderIsRefusedWithTheDirectoryNamed() throws IOException {
    try (DataDirLock held = DataDirLock.acquire(dataDir)) {
      assertThatThrownBy(() -> DataDirLock.acquire(dataDir))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(dataDir.toString())
          .hasMessageContaining("in use");
    }
  }

  @Test
  void closingTwiceIsHarmlessAndFreesTheDirectory() throws IOException {
    DataDirLock lock = DataDirLock.acquire(dataDir);
    lock.close();
    lock.close();
    try (DataDirLock again = DataDirLock.acquire(dataDir)) {
      assertThat(dataDir.resolve("keel.lock")).exists();
    }
  }
}
