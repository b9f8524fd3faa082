package io.keel.bench;

import io.keel.api.client.FleetClient;
import io.keel.cluster.unit.UnitFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Time from asking for a container to the container running, Keel against a plain
 * {@code docker run} of the same image on the same engine, in one run. Both are timed to the
 * engine's own {@code start} event ({@code docker events}, nanosecond timestamps): for Docker from
 * just before {@code docker run -d}, for Keel from just before the unit is created with desired
 * state {@code launched} through the fleet API (engine placement, agent, Docker API).
 */
@Command(name = "agent-start", mixinStandardHelpOptions = true,
    description = "Start-to-running latency of a container unit against docker run.")
public final class AgentStartCmd implements Callable<Integer> {
  @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:7070", description = "A node's API (default: ${DEFAULT-VALUE}).")
  String endpoint;

  @Option(names = "--docker", defaultValue = "docker", description = "The docker CLI (default: ${DEFAULT-VALUE}).")
  String docker;

  @Option(names = "--docker-host", required = true, description = "The engine both use, e.g. unix:///tmp/keel-docker/docker.sock.")
  String dockerHost;

  @Option(names = "--image", required = true, description = "A local image with /bin/sleep.")
  String image;

  @Option(names = "--runs", defaultValue = "10", description = "Containers of each kind (default: ${DEFAULT-VALUE}).")
  int runs;

  private final Map<String, Long> started = new ConcurrentHashMap<>();

  @Override
  public Integer call() throws Exception {
    Process events = new ProcessBuilder(docker, "-H", dockerHost, "events", "--filter", "event=start",
        "--format", "{{.TimeNano}} {{.Actor.Attributes.name}}").start();
    Thread reader = Thread.ofVirtual().start(() -> readEvents(events));
    FleetClient fleet = new FleetClient(endpoint, Duration.ofSeconds(10));
    List<Long> dockerMs = new ArrayList<>();
    List<Long> keelMs = new ArrayList<>();
    try {
      for (int i = 0; i < runs; i++) {
        String name = "bench-docker-" + ProcessHandle.current().pid() + "-" + i;
        long t0 = wallNanos();
        run(docker, "-H", dockerHost, "run", "-d", "--network", "none", "--name", name, image, "/bin/sleep", "1000");
        dockerMs.add((awaitStart(name) - t0) / 1_000_000);
        run(docker, "-H", dockerHost, "rm", "-f", name);

        String unit = "bench-" + ProcessHandle.current().pid() + "-" + i + ".service";
        String text = "[Service]\nTimeoutStopSec=1\n\n[Container]\nImage=" + image
            + "\nExec=/bin/sleep 1000\nNetwork=none\n";
        t0 = wallNanos();
        fleet.createUnit(unit, UnitFile.parse(text).options(), "launched");
        keelMs.add((awaitStart(unit.replace("@", "-").replace(".service", "")) - t0) / 1_000_000);
        fleet.destroy(unit);
      }
    } finally {
      events.destroy();
      reader.join(2000);
    }
    long dockerMedian = median(dockerMs);
    long keelMedian = median(keelMs);
    System.out.printf(Locale.ROOT, "docker run -> running: median %d ms, all %s%n", dockerMedian, dockerMs);
    System.out.printf(Locale.ROOT, "keel start -> running: median %d ms, all %s%n", keelMedian, keelMs);
    System.out.printf(Locale.ROOT, "difference of medians: %d ms%n", keelMedian - dockerMedian);
    System.out.println(new JsonLine().put("bench", "agent-start").put("runs", runs)
        .put("docker_median_ms", dockerMedian).put("keel_median_ms", keelMedian)
        .put("difference_ms", keelMedian - dockerMedian));
    return 0;
  }

  private static long wallNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private void readEvents(Process events) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        int space = line.indexOf(' ');
        if (space > 0) {
          started.put(line.substring(space + 1), Long.parseLong(line.substring(0, space)));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the events stream ended
    }
  }

  /** Waits for the start event of a container whose name contains {@code fragment}. */
  private long awaitStart(String fragment) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (Map.Entry<String, Long> e : started.entrySet()) {
        if (e.getKey().contains(fragment)) {
          started.remove(e.getKey());
          return e.getValue();
        }
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("no container matching " + fragment + " started within 60 s");
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out.trim());
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
