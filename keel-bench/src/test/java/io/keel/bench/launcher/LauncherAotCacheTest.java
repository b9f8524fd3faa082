package io.keel.bench.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/keel} on JDK 25+ records the JVM's ahead-of-time cache for store members and, with
 * {@code KEEL_AOT=1}, starts them with it (not by default); on an older JDK it refuses to record
 * one and starts them without. Runs after keel-cli is packaged (this module builds after it), on
 * the jars the launcher runs.
 */
class LauncherAotCacheTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path LAUNCHER = ROOT.resolve("bin/keel");
  private static final Duration TRAINING = Duration.ofMinutes(5);

  @TempDir
  Path work;

  @Test
  void theLauncherRecordsTheCacheAndStoreMembersStartWithItWhenAsked() throws Exception {
    assertThat(ROOT.resolve("keel-cli/target/lib")).as("keel-cli packaged before this test")
        .isDirectory();

    Process recording = launcher(Map.of(), "aot-cache");
    assertThat(recording.waitFor(TRAINING.toSeconds(), TimeUnit.SECONDS)).isTrue();
    String printed = Files.readString(work.resolve("launcher.out")).trim();
    if (Runtime.version().feature() < 25) {
      // the JDK has no AOT cache: the launcher says so, and members start without one
      assertThat(recording.exitValue()).as(printed).isEqualTo(1);
      assertThat(printed).contains("the ahead-of-time cache needs JDK 25 or newer");
      assertThat(mapsOfAStoreStartedWith(Map.of("KEEL_AOT", "1"), "with")).doesNotContain(".aot");
      return;
    }
    assertThat(recording.exitValue()).as(printed).isZero();
    Path cache = Path.of(printed.substring(printed.lastIndexOf('\n') + 1));
    assertThat(cache).isEqualTo(ROOT.resolve("keel-cli/target/keel-store.aot"));
    assertThat(Files.size(cache)).isPositive();

    assertThat(mapsOfAStoreStartedWith(Map.of("KEEL_AOT", "1"), "with"))
        .contains(cache.toString());
    assertThat(mapsOfAStoreStartedWith(Map.of(), "default")).as("off by default")
        .doesNotContain(cache.toString());
  }

  /** Starts {@code bin/keel store}, checks it serves, and returns its memory map. */
  private String mapsOfAStoreStartedWith(Map<String, String> env, String name) throws Exception {
    int[] ports = FreePorts.allocate(2);
    String client = "http://127.0.0.1:" + ports[0];
    String peer = "http://127.0.0.1:" + ports[1];
    Process store = launcher(env, "store", "--name", name,
        "--data-dir", work.resolve(name).toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", name + "=" + peer);
    try {
      Etcdctl etcdctl = new Etcdctl(client).withTimeout(Duration.ofSeconds(10));
      Await.until(Duration.ofMinutes(2), "the store answers on " + client,
          () -> etcdctl.run("put", "started", name).exitCode() == 0);
      assertThat(etcdctl.run("get", "started", "--print-value-only").stdout().trim())
          .isEqualTo(name);
      // the launcher execs the JVM: the process it started is the store member
      return Files.readString(Path.of("/proc", Long.toString(store.pid()), "maps"));
    } finally {
      store.destroy();
      if (!store.waitFor(30, TimeUnit.SECONDS)) {
        store.destroyForcibly();
      }
    }
  }

  private Process launcher(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve("launcher.out").toFile());
    builder.environment().remove("KEEL_JAVA_OPTS");
    builder.environment().remove("KEEL_AOT");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().putAll(env);
    return builder.start();
  }
}
