package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdLogOptionsTest {
  @TempDir Path dir;

  @AfterEach
  void clearProperties() {
    System.clearProperty(EtcdLogOptions.LEVEL_PROPERTY);
    System.clearProperty(EtcdLogOptions.FILE_PROPERTY);
  }

  @Test
  void theLevelAndOutputAreSetForTheLoggerBeforeItStarts() {
    EtcdLogOptions.configure(List.of("--log-level=panic", "--log-outputs", "stdout"));

    assertThat(System.getProperty(EtcdLogOptions.LEVEL_PROPERTY)).isEqualTo("error");
    assertThat(System.getProperty(EtcdLogOptions.FILE_PROPERTY)).isEqualTo("System.out");
  }

  @Test
  void debugWinsOverTheLevelAndAFileIsAnOutput() {
    EtcdLogOptions.configure(List.of("--log-level", "warn", "--debug", "--log-outputs=/var/log/keel.log"));

    assertThat(System.getProperty(EtcdLogOptions.LEVEL_PROPERTY)).isEqualTo("debug");
    assertThat(System.getProperty(EtcdLogOptions.FILE_PROPERTY)).isEqualTo("/var/log/keel.log");
  }

  @Test
  void aLevelAlreadySetForTheJvmIsKept() {
    System.setProperty(EtcdLogOptions.LEVEL_PROPERTY, "trace");

    EtcdLogOptions.configure(List.of("--log-level", "warn", "--debug=false"));

    assertThat(System.getProperty(EtcdLogOptions.LEVEL_PROPERTY)).isEqualTo("trace");
  }

  @Test
  void valuesEtcdRefusesOrKeelCannotHonourAreRefusedBeforeAnythingStarts() {
    var flags = List.of(
        List.of("--logger", "syslog"), List.of("--log-level", "verbose"),
        List.of("--log-outputs", "stderr,/tmp/x.log"), List.of("--enable-v2"),
        List.of("--metrics", "full"), List.of("--grpc-keepalive-interval", "soon"));
    var messages = List.of("unknown --logger 'syslog' (zap or capnslog)",
        "unknown --log-level 'verbose'", "--log-outputs 'stderr,/tmp/x.log'",
        "--enable-v2: Keel serves etcd's v3 API only", "unknown --metrics 'full' (basic or extensive)",
        "'soon' is not a duration");
    for (int i = 0; i < flags.size(); i++) {
      String[] args = flags.get(i).toArray(String[]::new);
      var result = KeelInProcess.store(dir.resolve("data"), args);

      assertThat(result.exit()).as(String.join(" ", args)).isNotZero();
      assertThat(result.stderr()).contains(messages.get(i));
      assertThat(dir.resolve("data")).doesNotExist();
    }
  }
}
