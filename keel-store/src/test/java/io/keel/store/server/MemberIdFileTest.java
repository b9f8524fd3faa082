package io.keel.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberIdFileTest {
  @TempDir
  Path dataDir;

  @Test
  void aDataDirWithoutTheFileHoldsNoId() {
    assertThat(MemberIdFile.read(dataDir)).isEmpty();
  }

  @Test
  void anIdWrittenIsReadBackWholeAsAnUnsignedNumber() {
    MemberIdFile.write(dataDir, 0xfedcba9876543210L);
    assertThat(MemberIdFile.read(dataDir)).hasValue(0xfedcba9876543210L);
    assertThat(dataDir.resolve(MemberIdFile.FILE + ".tmp")).doesNotExist();
  }

  @Test
  void aDamagedFileIsNamedWithWhatItHolds() throws Exception {
    Files.writeString(dataDir.resolve(MemberIdFile.FILE), "not an id\n");
    assertThatThrownBy(() -> MemberIdFile.read(dataDir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(dataDir.resolve(MemberIdFile.FILE) + " is damaged")
        .hasMessageContaining("'not an id'");
  }
}
