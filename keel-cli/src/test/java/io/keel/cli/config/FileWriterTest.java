package io.keel.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cli.config.MachineConfig.WriteFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWriterTest {
  @TempDir
  Path root;

  static WriteFile file(String path, String content, int mode, String owner) {
    return new WriteFile(Path.of(path), content.getBytes(StandardCharsets.UTF_8), mode, Optional.ofNullable(owner));
  }

  @Test
  void writesUnderRootWithPermissionsAndParents() throws Exception {
    List<Path> written = new FileWriter(root, false).writeAll(List.of(
        file("/etc/app/app.conf", "a=1\n", 0640, null),
        file("/usr/local/bin/tool", "#!/bin/sh\n", 0755, "nobody:nogroup")));
    assertThat(written).containsExactly(root.resolve("etc/app/app.conf"), root.resolve("usr/local/bin/tool"));
    assertThat(Files.readString(written.get(0))).isEqualTo("a=1\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.get(0)))).isEqualTo("rw-r-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.get(1)))).isEqualTo("rwxr-xr-x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/app"))))
        .isEqualTo("rwxr-xr-x");
  }

  @Test
  void ownersAreSkippedUnlessApplied() throws Exception {
    Object me = Files.getOwner(root);
    Path p = new FileWriter(root, false).write(file("/a", "x", 0600, "nobody"));
    assertThat(Files.getOwner(p)).isEqualTo(me);
  }

  @Test
  void ownersAreAppliedWhenAsked() throws Exception {
    assertThat(FileWriter.isRoot()).as("only root can give a file away; the suite runs as root (scripts/test.sh)").isTrue();
    Path p = new FileWriter(root, true).write(file("/a", "x", 0600, "nobody"));
    assertThat(Files.getOwner(p).getName()).isEqualTo("nobody");
  }

  @Test
  void replacesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
    FileWriter writer = new FileWriter(root, false);
    writer.write(file("/etc/x", "old", 0644, null));
    Path p = writer.write(file("/etc/x", "new", 0400, null));
    assertThat(Files.readString(p)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("r--------");
    try (Stream<Path> files = Files.list(root.resolve("etc"))) {
      assertThat(files).containsExactly(p);
    }
  }

  @Test
  void specialBitsAreSet() throws Exception {
    Path p = new FileWriter(root, false).write(file("/bin/x", "", 04755, null));
    assertThat((Integer) Files.getAttribute(p, "unix:mode") & 07777).isEqualTo(04755);
  }

  @Test
  void modeBitsMapToPermissions() {
    assertThat(PosixFilePermissions.toString(FileWriter.permissions(0751))).isEqualTo("rwxr-x--x");
    assertThat(PosixFilePermissions.toString(FileWriter.permissions(01644))).isEqualTo("rw-r--r--");
  }

  @Test
  void writesWhatTheParserRead() throws Exception {
    MachineConfig c = CloudConfigParser.parse("m.yaml",
        "write_files:\n  - path: /etc/motd\n    permissions: \"0444\"\n    content: |\n      hello\n");
    Path p = new FileWriter(root, false).write(c.writeFiles().get(0));
    assertThat(Files.readString(p)).isEqualTo("hello\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("r--r--r--");
  }

  @Test
  void loggingProvisionerOnlyRecords() {
    LoggingProvisioner p = new LoggingProvisioner();
    p.provision(List.of(new MachineConfig.User("core", List.of("docker"), List.of("ssh-ed25519 AAAA x"))));
    assertThat(p.actions()).containsExactly(
        "user core groups docker: 1 ssh key(s) (not applied: no provisioner configured)");
  }
}
