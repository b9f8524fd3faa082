package io.keel.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCommandTest {
  @TempDir
  Path dir;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return new CommandLine(new ConfigCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void validFilePrintsOkAndExitsZero() throws Exception {
    Path good = file("good.yaml", CloudConfigParserTest.FULL);
    assertThat(run("validate", good.toString())).isZero();
    assertThat(out.toString()).isEqualTo(good + ": ok\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void everyErrorIsALineOnStderrAndExitIsOne() throws Exception {
    Path good = file("good.yaml", "#cloud-config\n");
    Path bad = file("bad.yaml", "#cloud-config\nkeel:\n  reboot: {strategy: off}\nwrite_files:\n  - {path: /a, permissions: 0644}\n");
    assertThat(run("validate", bad.toString(), good.toString())).isEqualTo(1);
    assertThat(out.toString()).isEqualTo(good + ": ok\n");
    assertThat(err.toString().lines()).containsExactly(
        bad + ":3: keel.reboot.strategy: 'off' is read as the boolean false by YAML 1.1: write 'off' in quotes",
        bad + ":5: write_files[0].permissions: 0644 is read as a number, not a mode: write permissions as a"
            + " quoted string, e.g. \"0644\"");
  }

  @Test
  void missingFileIsAnError() {
    Path missing = dir.resolve("nope.yaml");
    assertThat(run("validate", missing.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo(missing + ": no such file\n");
  }

  @Test
  void noFileIsAUsageError() {
    assertThat(run("validate")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter");
  }

  @Test
  void missingVerbIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("missing command: validate");
  }
}
