package io.keel.cli.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryRecordTest {
  @TempDir
  Path dataDir;

  @Test
  void aWrittenRecordReadsBackAndNothingIsLeftBehind() throws Exception {
    assertThat(DiscoveryRecord.read(dataDir)).isEmpty();
    DiscoveryRecord r = new DiscoveryRecord("tok", "a=http://127.0.0.1:1,b=http://127.0.0.1:2");
    r.write(dataDir.resolve("new"));
    assertThat(DiscoveryRecord.read(dataDir.resolve("new"))).contains(r);
    try (var files = Files.list(dataDir.resolve("new"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(DiscoveryRecord.FILE);
    }
  }

  @Test
  void aDamagedRecordIsAnErrorNamingTheFile() throws Exception {
    Files.writeString(dataDir.resolve(DiscoveryRecord.FILE), "token=tok\n");
    assertThatThrownBy(() -> DiscoveryRecord.read(dataDir))
        .hasMessageContaining(DiscoveryRecord.FILE).hasMessageContaining("damaged");
  }
}
