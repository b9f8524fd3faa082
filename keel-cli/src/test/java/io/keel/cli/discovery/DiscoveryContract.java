package io.keel.cli.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.FreePorts;
import io.keel.testkit.StoreProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd v3 discovery with real {@code keel store} processes, written once and bound to each kind
 * of discovery service (a Keel store, a real etcd 3.4): three members started with only a token
 * and the discovery endpoints form one cluster, a fourth is refused as full, and a restarted
 * member does not need the discovery service. Steps build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DiscoveryContract {
  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration EXIT = Duration.ofSeconds(60);
  private static final String TOKEN = "keel-disc-1";

  @TempDir
  static Path work;
  private StoreProcess service;
  private final List<Member> members = new ArrayList<>();

  /** Starts the discovery service under {@code dir}. */
  abstract StoreProcess startDiscoveryService(Path dir);

  /** One {@code keel store} process started with discovery flags. */
  static final class Member {
    final String name;
    final String client;
    final String peer;
    final Path dir;
    final List<String> command;
    Process process;

    Member(String name, Path dir, String... discoveryFlags) {
      int[] ports = FreePorts.allocate(2);
      this.name = name;
      this.client = "http://127.0.0.1:" + ports[0];
      this.peer = "http://127.0.0.1:" + ports[1];
      this.dir = dir;
      this.command = new ArrayList<>(List.of(
          ProcessHandle.current().info().command().orElse("java"),
          "-cp", System.getProperty("java.class.path"), "io.keel.cli.Keel", "store",
          "--name", name, "--data-dir", dir.resolve("data").toString(),
          "--listen-client-urls", client, "--advertise-client-urls", client,
          "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer));
      command.addAll(Arrays.asList(discoveryFlags));
    }

    Member start() {
      try {
        Files.createDirectories(dir);
        process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Path log() {
      return dir.resolve(name + ".log");
    }

    String logText() {
      try {
        return Files.readString(log());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    boolean healthy() {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + logText());
      }
      return at(client).run("--dial-timeout=1s", "--command-timeout=2s", "endpoint", "health")
          .ok();
    }

    /** Waits for the process to exit on its own and returns its status. */
    int awaitExit() throws InterruptedException {
      if (!process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(name + " still running after " + EXIT + ":\n" + logText());
      }
      return process.exitValue();
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(name + " did not stop on SIGTERM");
      }
    }
  }

  private static Etcdctl at(String endpoint) {
    return new Etcdctl(endpoint).withTimeout(Duration.ofSeconds(30));
  }

  private static String ok(Etcdctl.Result r) {
    assertThat(r.exitCode()).as("etcdctl failed: %s", r.stderr()).isZero();
    return r.stdout();
  }

  private String[] discoveryFlags(String token) {
    return new String[] {"--discovery-token", token,
        "--discovery-endpoints", service.endpoint().replace("http://", "")};
  }

  private Member member(String name, String token) {
    Member m = new Member(name, work.resolve(token).resolve(name), discoveryFlags(token));
    members.add(m);
    return m;
  }

  @BeforeAll
  void startService() {
    service = startDiscoveryService(work.resolve("discovery"));
  }

  @AfterAll
  void stopAll() {
    for (Member m : members) {
      if (m.process != null) {
        m.process.destroyForcibly();
      }
    }
    if (service != null) {
      service.close();
    }
  }

  private List<Member> cluster() {
    return members.subList(0, 3);
  }

  @Test
  @Order(1)
  void threeMembersStartedWithOnlyTheTokenFormOneCluster() {
    ok(at(service.endpoint()).run("put", DiscoveryKeys.sizeKey(TOKEN), "3"));
    for (String name : List.of("d1", "d2", "d3")) {
      member(name, TOKEN).start();
    }
    for (Member m : cluster()) {
      Await.until(START, m.name + " serves clients", m::healthy);
    }
    Await.until(START, "every member lists the three started members", () -> cluster().stream()
        .allMatch(reader -> {
          String list = at(reader.client).run("member", "list").stdout();
          return list.lines().count() == 3 && cluster().stream().allMatch(m ->
              list.contains(", started, " + m.name + ", " + m.peer + ", " + m.client));
        }));

    ok(at(cluster().get(0).client).run("put", "greeting", "from-d1"));
    assertThat(ok(at(cluster().get(2).client).run("get", "greeting", "--print-value-only")).trim())
        .isEqualTo("from-d1");
    ok(at(cluster().get(1).client).run("put", "greeting", "from-d2"));
    assertThat(ok(at(cluster().get(0).client).run("get", "greeting", "--print-value-only")).trim())
        .isEqualTo("from-d2");
  }

  @Test
  @Order(2)
  void theRegistryHoldsEachMemberUnderItsIdWithItsNameAndPeerUrl() {
    String registry = ok(at(service.endpoint()).run("get", "--prefix",
        DiscoveryKeys.membersPrefix(TOKEN)));
    Set<String> registeredIds = new TreeSet<>();
    Matcher key = Pattern.compile(Pattern.quote(DiscoveryKeys.membersPrefix(TOKEN))
        + "([0-9a-f]+)\\n([^\\n]*)").matcher(registry);
    Set<String> values = new TreeSet<>();
    while (key.find()) {
      registeredIds.add(key.group(1));
      values.add(key.group(2));
    }
    assertThat(values).containsExactlyInAnyOrderElementsOf(
        cluster().stream().map(m -> m.name + "=" + m.peer).toList());
    String list = ok(at(cluster().get(0).client).run("member", "list"));
    Set<String> memberIds = list.lines().map(l -> l.substring(0, l.indexOf(',')))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(registeredIds).as("registry ids are the cluster's member ids").isEqualTo(memberIds);
  }

  @Test
  @Order(3)
  void aFourthMemberIsRefusedAsFullAndDoesNotRegister() throws InterruptedException {
    Member late = member("d4", TOKEN).start();
    assertThat(late.awaitExit()).as(late.logText()).isNotZero();
    assertThat(late.logText()).contains("keel: discovery: cluster is full");
    String keys = ok(at(service.endpoint()).run("get", "--prefix", "--keys-only",
        DiscoveryKeys.membersPrefix(TOKEN)));
    assertThat(keys.lines().filter(l -> !l.isBlank()).count()).isEqualTo(3);
    assertThat(ok(at(cluster().get(0).client).run("member", "list")).lines().count()).isEqualTo(3);
  }

  @Test
  @Order(4)
  void aMissingSizeKeyIsAnErrorNamingTheKey() throws InterruptedException {
    Member m = member("nosize", "keel-disc-nosize").start();
    assertThat(m.awaitExit()).isNotZero();
    assertThat(m.logText()).contains("keel: discovery: size key not found: "
        + DiscoveryKeys.sizeKey("keel-disc-nosize"));
  }

  @Test
  @Order(5)
  void aSizeThatIsNotAPositiveIntegerIsRefused() throws InterruptedException {
    for (String bad : List.of("0", "three")) {
      String token = "keel-disc-bad-" + bad;
      ok(at(service.endpoint()).run("put", DiscoveryKeys.sizeKey(token), bad));
      Member m = member("bad" + bad, token).start();
      assertThat(m.awaitExit()).isNotZero();
      assertThat(m.logText()).contains("keel: discovery: size key is bad: "
          + DiscoveryKeys.sizeKey(token) + " holds '" + bad + "'");
    }
  }

  @Test
  @Order(6)
  void aRestartedMemberIgnoresDiscoveryAndRejoins() throws InterruptedException {
    Member d2 = cluster().get(1);
    d2.stop();
    Await.until(START, "a write while d2 is down (d2 may have led: an election first)", () ->
        at(cluster().get(0).client).run("put", "while-d2-down", "yes").ok());
    service.stop();
    d2.start();
    Await.until(START, "d2 serves again without the discovery service", d2::healthy);
    Await.until(START, "d2 caught up", () -> at(d2.client)
        .run("get", "while-d2-down", "--consistency=s", "--print-value-only").stdout().trim()
        .equals("yes"));
    assertThat(d2.logText()).contains("not asking the discovery service again");
    assertThat(ok(at(d2.client).run("member", "list")).lines().count()).isEqualTo(3);
  }
}
