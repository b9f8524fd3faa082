package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which of etcd's sources {@code keel store} takes its flags from, through {@code keel}'s entry point. */
class StoreArgumentsTest {
  @TempDir Path dir;

  @Test
  void aConfigFileGivenByFlagOrVariableIsTheOnlySource() throws Exception {
    Path file = Files.writeString(dir.resolve("etcd.yml"), "name: from-file\nsnapshot-count: 7\n");
    var flags = java.util.Set.of("--name", "--snapshot-count", "--config-file");

    var byFlag = StoreArguments.resolve(List.of("--name", "x", "--config-file", file.toString()),
        Map.of("ETCD_DATA_DIR", "/ignored"), flags);
    var byVariable = StoreArguments.resolve(List.of(), Map.of("ETCD_CONFIG_FILE", file.toString(),
        "ETCD_NAME", "ignored"), flags);

    for (var resolved : List.of(byFlag, byVariable)) {
      assertThat(resolved.args()).containsExactly("--name=from-file", "--snapshot-count=7");
      assertThat(resolved.sources()).containsEntry("--name", file + ":1: name");
    }
    assertThat(byFlag.infos()).singleElement().asString().startsWith("loaded server configuration from "
        + file).endsWith("(ignored: --name)");
  }

  @Test
  void aBadValueFromTheEnvironmentIsRefusedNamingTheVariable() {
    var result = KeelInProcess.runWithEnvironment(Map.of("ETCD_SNAPSHOT_COUNT", "many"), "store",
        "--data-dir", dir.resolve("data").toString());

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("'many'").contains(
        "(--snapshot-count was set by environment variable ETCD_SNAPSHOT_COUNT)");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aBadValueFromAConfigFileIsRefusedNamingItsLine() throws Exception {
    Path file = Files.writeString(dir.resolve("etcd.yml"),
        "name: a\ndata-dir: " + dir.resolve("data") + "\nmax-request-bytes: 5\n");

    var result = KeelInProcess.run("store", "--config-file", file.toString());

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("--max-request-bytes must be at least 1024 (--max-request-bytes"
        + " was set by " + file + ":3: max-request-bytes)");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aMissingConfigFileIsRefusedNamingIt() {
    var result = KeelInProcess.run("store", "--config-file", dir.resolve("absent.yml").toString());

    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("absent.yml");
  }
}
