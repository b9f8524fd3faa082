package io.keel.cli.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release and update commands end to end: keygen, sign, publish, serve on 127.0.0.1, check, boot. */
class UpdateCliTest {
  @TempDir
  Path tmp;

  private Path keys;
  private Path www;
  private Path node;
  private Thread serverThread;
  private final AtomicReference<Cli.Result> serverResult = new AtomicReference<>();
  private String url;

  @BeforeEach
  void keysAndServer() throws Exception {
    keys = tmp.resolve("keys");
    www = Files.createDirectories(tmp.resolve("www"));
    node = tmp.resolve("node");
    assertThat(Cli.run(new ReleaseCommand(), "keygen", "--out", keys.toString()).exit()).isZero();
    Cli server = new Cli(new UpdateServerCommand());
    serverThread = new Thread(() -> serverResult.set(
        server.execute("--dir", www.toString(), "--listen", "127.0.0.1:0")), "update-server");
    serverThread.start();
    Await.until(Duration.ofSeconds(10), "the update server prints its address",
        () -> server.outSoFar().contains("http://"));
    Matcher m = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/)").matcher(server.outSoFar());
    assertThat(m.find()).isTrue();
    url = m.group(1);
  }

  @AfterEach
  void stopServer() throws Exception {
    serverThread.interrupt();
    serverThread.join(Duration.ofSeconds(10));
    assertThat(serverThread.isAlive()).isFalse();
    assertThat(serverResult.get().exit()).isZero();
  }

  private Path release(String version, String channel) throws Exception {
    Path payload = tmp.resolve("keel-" + version + ".zip");
    var bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      z.putNextEntry(new ZipEntry("lib/keel-cli.jar"));
      z.write(("keel " + version).getBytes(StandardCharsets.UTF_8));
    }
    Files.write(payload, bytes.toByteArray());
    Path out = tmp.resolve("release-" + version + "-" + channel);
    Cli.Result r = Cli.run(new ReleaseCommand(), "sign", "--key", keys.resolve("release.key").toString(),
        "--version", version, "--channel", channel, payload.toString(), "--out", out.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("signed " + version + " for " + channel + ": ");
    return out;
  }

  private Cli.Result publish(Path release, String channel) {
    return Cli.run(new ReleaseCommand(), "publish", "--to", www.toString(), "--channel", channel,
        "--public-key", keys.resolve("release.pub").toString(), release.toString());
  }

  private Cli.Result check(String... extra) {
    String[] base = {"check", "--data-dir", node.toString(), "--server", url,
        "--public-key", keys.resolve("release.pub").toString(), "--timeout", "30s"};
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Cli.run(new UpdateCommand(), args);
  }

  private Cli.Result update(String verb) {
    return Cli.run(new UpdateCommand(), verb, "--data-dir", node.toString());
  }

  @Test
  void releaseIsSignedPublishedCheckedInstalledBootedAndRolledBack() throws Exception {
    assertThat(publish(release("1.3.0", "stable"), "stable").out()).startsWith("published 1.3.0 on stable: ");

    Cli.Result checked = check("--current-version", "1.2.0");
    assertThat(checked.err()).isEmpty();
    assertThat(checked.out()).isEqualTo("UPDATED_NEED_REBOOT: 1.3.0 installed into slot B; restart keel to boot it\n");

    String status = update("status").out();
    assertThat(status).contains("CURRENT_OP=UPDATE_STATUS_UPDATED_NEED_REBOOT\n", "CHANNEL=stable\n",
        "CURRENT_VERSION=1.2.0\n", "NEW_VERSION=1.3.0\n", "LAST_ERROR=\n", "ACTIVE_SLOT=A\n",
        "SLOT_A=version=base priority=1 tries=0 successful=true\n",
        "SLOT_B=version=1.3.0 priority=2 tries=3 successful=false\n", "ROLLBACK=\n");
    assertThat(status).containsPattern("LAST_CHECKED_TIME=\\d{4}-\\d\\d-\\d\\dT");

    Path slotB = node.resolve("slots/B").toAbsolutePath();
    for (int i = 0; i < 3; i++) {
      Cli.Result boot = update("select-slot");
      assertThat(boot.out()).isEqualTo(slotB + "\n");
      assertThat(boot.err()).isEmpty();
    }
    assertThat(slotB.resolve("dist/lib/keel-cli.jar")).hasContent("keel 1.3.0");

    Cli.Result rollback = update("select-slot");
    assertThat(rollback.out()).isEqualTo(node.resolve("slots/A").toAbsolutePath() + "\n");
    assertThat(rollback.err()).startsWith("keel: rolled back from slot B (1.3.0) to slot A (base) at ");
    assertThat(update("status").out()).contains("ACTIVE_SLOT=A\n",
        "SLOT_B=version=1.3.0 priority=0 tries=0 successful=false\n", "ROLLBACK=rolled back from slot B (1.3.0)");
  }

  @Test
  void successfulBootKeepsTheNewSlot() throws Exception {
    publish(release("1.3.0", "beta"), "beta");
    assertThat(check("--channel", "beta", "--current-version", "1.2.0").exit()).isZero();
    update("select-slot");
    assertThat(update("mark-successful").out()).isEqualTo("slot B marked successful\n");
    for (int i = 0; i < 5; i++) {
      assertThat(update("select-slot").out()).endsWith("slots/B\n");
    }
    assertThat(check("--channel", "beta").out()).isEqualTo("IDLE: 1.3.0 is the latest on beta\n");
  }

  @Test
  void tamperedPayloadIsRefusedAndNothingIsApplied() throws Exception {
    publish(release("1.3.0", "stable"), "stable");
    Path served = www.resolve("stable/keel-1.3.0.zip");
    byte[] bytes = Files.readAllBytes(served);
    bytes[bytes.length - 1] ^= 1;
    Files.write(served, bytes);

    Cli.Result r = check("--current-version", "1.2.0");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("keel: payload keel-1.3.0.zip has sha256 ").endsWith("\n").hasLineCount(1);
    String status = update("status").out();
    assertThat(status).contains("CURRENT_OP=UPDATE_STATUS_IDLE\n", "LAST_ERROR=payload keel-1.3.0.zip has sha256",
        "SLOT_B=version=base priority=0 tries=0 successful=false\n");
    assertThat(node.resolve("slots/B/keel-1.3.0.zip")).doesNotExist();
    assertThat(update("select-slot").out()).endsWith("slots/A\n");
  }

  @Test
  void manifestWithAWrongSignatureIsRefused() throws Exception {
    publish(release("1.3.0", "stable"), "stable");
    Path manifest = www.resolve("stable/manifest.json");
    Files.writeString(manifest, Files.readString(manifest).replace("1.3.0", "1.3.1"));
    Cli.Result r = check("--current-version", "1.2.0");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("keel: manifest for 1.3.1 (stable) has a bad signature: not signed by the"
        + " configured release key, or altered after signing\n");
    assertThat(node.resolve("slots/B")).doesNotExist();

    assertThat(Cli.run(new ReleaseCommand(), "keygen", "--out", tmp.resolve("other").toString()).exit()).isZero();
    Cli.Result other = Cli.run(new UpdateCommand(), "check", "--data-dir", node.toString(), "--server", url,
        "--public-key", tmp.resolve("other/release.pub").toString(), "--current-version", "1.0");
    assertThat(other.err()).contains("has a bad signature");
  }

  @Test
  void downgradeIsRefusedUnlessAsked() throws Exception {
    publish(release("1.3.0", "stable"), "stable");
    Cli.Result r = check("--current-version", "1.10.0");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo(
        "keel: refusing downgrade from 1.10.0 to 1.3.0 on channel stable: downgrades were not allowed\n");
    assertThat(node.resolve("slots/B")).doesNotExist();
    assertThat(check("--current-version", "1.10.0", "--allow-downgrade").out()).startsWith("UPDATED_NEED_REBOOT");
  }

  @Test
  void badInputIsNamedOnOneLine() throws Exception {
    Path rel = release("1.3.0", "stable");
    Cli.Result wrongChannel = publish(rel, "beta");
    assertThat(wrongChannel.exit()).isEqualTo(1);
    assertThat(wrongChannel.err()).isEqualTo("keel: release 1.3.0 in " + rel + " is signed for channel stable, not beta\n");

    Cli.Result badVersion = Cli.run(new ReleaseCommand(), "sign", "--key", keys.resolve("release.key").toString(),
        "--version", "v2", "--channel", "stable", rel.resolve("keel-1.3.0.zip").toString(), "--out",
        tmp.resolve("x").toString());
    assertThat(badVersion.exit()).isEqualTo(1);
    assertThat(badVersion.err()).startsWith("keel: \"v2\" is not a version");

    Cli.Result badChannel = Cli.run(new ReleaseCommand(), "publish", "--to", www.toString(), "--channel", "nightly",
        rel.toString());
    assertThat(badChannel.exit()).isEqualTo(2);
    assertThat(badChannel.err()).contains("unknown channel \"nightly\": expected alpha, beta or stable");

    Cli.Result noPayload = Cli.run(new ReleaseCommand(), "sign", "--key", keys.resolve("release.key").toString(),
        "--version", "2.0", "--channel", "stable", tmp.resolve("missing.zip").toString(), "--out", "x");
    assertThat(noPayload.err()).isEqualTo("keel: payload " + tmp.resolve("missing.zip")
        + " does not exist or is not a file\n");

    assertThat(Cli.run(new ReleaseCommand(), "keygen", "--out", keys.toString()).err())
        .isEqualTo("keel: " + keys.resolve("release.key") + " already exists; refusing to overwrite a release key\n");

    assertThat(Cli.run(new UpdateServerCommand(), "--dir", www.toString(), "--listen", "localhost").err())
        .isEqualTo("keel: --listen localhost is not HOST:PORT, like 127.0.0.1:8480\n");
    assertThat(Cli.run(new UpdateServerCommand(), "--dir", tmp.resolve("nope").toString(), "--listen",
        "127.0.0.1:0").err()).isEqualTo("keel: update server directory " + tmp.resolve("nope")
        + " does not exist or is not a directory\n");

    assertThat(check().err()).isEqualTo("keel: the running version is unknown (the active slot holds the base"
        + " install): pass --current-version\n");
    assertThat(Cli.run(new UpdateCommand(), "check", "--data-dir", node.toString(), "--server", "ftp://x",
        "--public-key", keys.resolve("release.pub").toString()).err())
        .isEqualTo("keel: --server ftp://x is not an http:// or https:// URL\n");
    Cli.Result nothingPublished = check("--current-version", "1.0", "--channel", "alpha");
    assertThat(nothingPublished.err()).isEqualTo("keel: GET " + url + "alpha/manifest.json returned HTTP 404\n");
  }

  @Test
  void statusOfAFreshMachine() {
    assertThat(update("status").out()).isEqualTo("""
        CURRENT_OP=UPDATE_STATUS_IDLE
        CHANNEL=
        CURRENT_VERSION=
        NEW_VERSION=
        NEW_SIZE=
        LAST_CHECKED_TIME=
        LAST_ERROR=
        ACTIVE_SLOT=A
        SLOT_A=version=base priority=1 tries=0 successful=true
        SLOT_B=version=base priority=0 tries=0 successful=false
        ROLLBACK=
        """);
  }
}
