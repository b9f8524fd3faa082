package io.keel.cli.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel store} discovery flags that cannot work end with one line on stderr and a non-zero
 * exit, in bounded time, as real processes. Every case points at a loopback port nothing listens
 * on with short timeouts, so even a missing check ends instead of waiting for peers.
 */
class DiscoveryFlagsTest {
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir
  Path work;

  record Exit(int status, String output, Duration took) {}

  private Exit keelStore(String... flags) throws IOException, InterruptedException {
    int[] ports = FreePorts.allocate(3);
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), "io.keel.cli.Keel", "store",
        "--name", "m", "--data-dir", work.resolve("data").toString(),
        "--listen-client-urls", "http://127.0.0.1:" + ports[0],
        "--listen-peer-urls", "http://127.0.0.1:" + ports[1]));
    command.addAll(List.of(flags).stream()
        .map(f -> f.replace("UNUSED", "127.0.0.1:" + ports[2])).toList());
    Path log = work.resolve("keel-" + System.nanoTime() + ".log");
    long start = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    if (!p.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("keel store still running after " + EXIT + ":\n"
          + Files.readString(log));
    }
    return new Exit(p.exitValue(), Files.readString(log), Duration.ofNanos(System.nanoTime() - start));
  }

  @Test
  void unreachableDiscoveryEndpointsAreAnErrorAfterTheTimeouts() throws Exception {
    Exit e = keelStore("--discovery-token", "t1", "--discovery-endpoints", "UNUSED",
        "--discovery-dial-timeout", "1s", "--discovery-request-timeout", "1s");
    assertThat(e.status()).as(e.output()).isNotZero();
    assertThat(e.output()).containsPattern("keel: discovery: cannot read "
        + "/_etcd/registry/t1/_config/size on the discovery service at http://127\\.0\\.0\\.1:\\d+: ");
    assertThat(e.took()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aTokenWithASlashIsRefused() throws Exception {
    Exit e = keelStore("--discovery-token", "a/b", "--discovery-endpoints", "UNUSED",
        "--discovery-dial-timeout", "1s", "--discovery-request-timeout", "1s");
    assertThat(e.status()).isNotZero();
    assertThat(e.output()).contains("keel: --discovery-token 'a/b' must not contain '/'");
  }

  @Test
  void discoveryWithAnExplicitInitialClusterIsRefused() throws Exception {
    Exit e = keelStore("--discovery-token", "t", "--discovery-endpoints", "UNUSED",
        "--discovery-dial-timeout", "1s", "--discovery-request-timeout", "1s",
        "--initial-cluster", "m=http://127.0.0.1:1");
    assertThat(e.status()).isNotZero();
    assertThat(e.output())
        .contains("keel: --discovery-token and --initial-cluster both bootstrap the cluster");
  }

  @Test
  void aTokenNeedsEndpointsAndEndpointsNeedATokenAndMustBeEndpoints() throws Exception {
    Exit noEndpoints = keelStore("--discovery-token", "t");
    assertThat(noEndpoints.status()).isNotZero();
    assertThat(noEndpoints.output()).contains("keel: --discovery-token needs --discovery-endpoints");
    Exit noToken = keelStore("--discovery-endpoints", "UNUSED",
        "--discovery-dial-timeout", "1s", "--discovery-request-timeout", "1s");
    assertThat(noToken.status()).isNotZero();
    assertThat(noToken.output()).contains("keel: --discovery-endpoints needs --discovery-token");
    Exit badEndpoint = keelStore("--discovery-token", "t", "--discovery-endpoints", "not a url");
    assertThat(badEndpoint.status()).isNotZero();
    assertThat(badEndpoint.output()).contains("keel: --discovery-endpoints: store endpoint not a url");
    Exit noEndpoint = keelStore("--discovery-token", "t", "--discovery-endpoints", ",");
    assertThat(noEndpoint.status()).isNotZero();
    assertThat(noEndpoint.output()).contains("keel: --discovery-endpoints names no endpoint");
  }

  @Test
  void discoveryOnlyBootstrapsNewClusters() throws Exception {
    Exit e = keelStore("--discovery-token", "t", "--discovery-endpoints", "UNUSED",
        "--discovery-dial-timeout", "1s", "--discovery-request-timeout", "1s",
        "--initial-cluster-state", "existing");
    assertThat(e.status()).isNotZero();
    assertThat(e.output()).contains("cannot be used with --initial-cluster-state existing");
  }

  @Test
  void helpListsTheDiscoveryFlags() throws Exception {
    Exit e = keelStore("--help");
    assertThat(e.status()).isZero();
    assertThat(e.output()).contains("--discovery-token", "--discovery-endpoints",
        "--discovery-dial-timeout", "--discovery-request-timeout",
        "/_etcd/registry/<token>/_config/size");
  }
}
