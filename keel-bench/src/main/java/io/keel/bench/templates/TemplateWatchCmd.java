package io.keel.bench.templates;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.keel.agent.template.CommandRunner;
import io.keel.agent.template.Renderer;
import io.keel.agent.template.TemplateSpec;
import io.keel.agent.template.TemplateWatcher;
import io.keel.agent.template.UnitTemplates;
import io.keel.bench.JsonLine;
import io.keel.bench.LatencyStats;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.StoreEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Store-driven configuration at scale: {@code --units} units, each with one {@code [Template]}
 * rendered by the agent's real {@link TemplateWatcher} and {@link Renderer} (files in a temp dir,
 * no check command, no process spawned), spread over {@code --agents} simulated agents. Each agent
 * is what the real agent has: one jetcd client and one single-threaded executor for all of its
 * units' watchers. A "reload" is {@link TemplateWatcher.Listener#onChanged}.
 *
 * <p>Phases, each with fresh watchers, for every {@code --debounce-ms} value:
 * <ul>
 *   <li>{@code own}: unit {@code i} watches {@code /apps/u<i>/}; {@code --changes} puts of
 *       {@code /apps/u<i>/port} at {@code --rate} per second, to units in a shuffled round-robin
 *       (so a unit's consecutive changes are {@code units/rate} seconds apart and never coalesce).
 *       Latency: from just before the put is sent to that unit's onChanged.
 *   <li>{@code shared} (with {@code --shared-changes > 0}): every unit watches {@code /apps/shared/};
 *       each put of {@code /apps/shared/port} reloads all units. Latency per unit, and until the
 *       last unit reloaded.
 * </ul>
 * Watch load: per unit, the gRPC watch streams and watch creates the agents' clients opened
 * (counted by a client interceptor), the store's own count of watchers and watch streams (from
 * its {@code /metrics}, after minus before), and watch events received per change.
 *
 * <p>Deletes everything under {@code /apps/} first and last: point it at a scratch store.
 */
@Command(name = "template-watch", mixinStandardHelpOptions = true,
    description = "Key change to reloaded unit (p50/p99) with N template-watching units on simulated agents,"
        + " and the store watch load per unit.")
public final class TemplateWatchCmd implements Callable<Integer> {
  @Option(names = "--endpoints", defaultValue = "http://127.0.0.1:2379",
      description = "Store endpoints, comma-separated (default: ${DEFAULT-VALUE}).")
  String endpoints;

  @Option(names = "--metrics-url",
      description = "The store's Prometheus /metrics (default: the first endpoint + /metrics, as etcd serves it;"
          + " Keel serves it on --listen-metrics-urls); 'none' to skip.")
  String metricsUrl;

  @Option(names = "--units", defaultValue = "1000", description = "Template-watching units (default: ${DEFAULT-VALUE}).")
  int units;

  @Option(names = "--agents", defaultValue = "10",
      description = "Simulated agents: one store client and one single-threaded executor each (default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(names = "--changes", defaultValue = "2000",
      description = "Measured key changes per own-prefix phase (default: ${DEFAULT-VALUE}).")
  int changes;

  @Option(names = "--warmup", defaultValue = "200",
      description = "Unmeasured changes before each own-prefix phase (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--rate", defaultValue = "100", description = "Key changes per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--debounce-ms", split = ",", defaultValue = "20,500",
      description = "Watcher debounce values to run, one phase each (default: ${DEFAULT-VALUE}; 500 is the agent's).")
  List<Long> debounceMillis;

  @Option(names = "--shared-changes", defaultValue = "20",
      description = "Changes of a prefix every unit watches (fan-out to all units); 0 skips that phase (default: ${DEFAULT-VALUE}).")
  int sharedChanges;

  @Option(names = "--work-dir", description = "Where the templates and rendered files go (default: a temp dir, deleted).")
  Path workDir;

  @Option(names = "--timeout", defaultValue = "120",
      description = "Give up waiting on a phase step after this many seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--label", defaultValue = "", description = "Free text copied into the JSON line.")
  String label;

  @Option(names = "--json-out", description = "Also append the JSON line to this file.")
  Path jsonOut;

  static final String TEMPLATE = "{{#keys}}{{key}}={{value}}\n{{/keys}}";
  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");
  private static final CommandRunner NO_CHECK = (argv, timeout) -> new CommandRunner.Outcome(0, "", false);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @Override
  public Integer call() throws Exception {
    // One INFO line per rendering would drown the output.
    System.setProperty("org.slf4j.simpleLogger.log.io.keel.agent.template", "warn");
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    if (units < 1 || agents < 1 || agents > units || rate <= 0 || changes < 1) {
      throw new IllegalArgumentException("need units >= agents >= 1, rate > 0, changes >= 1");
    }
    StoreEndpoints store = StoreEndpoints.parse(endpoints);
    if (metricsUrl == null) {
      URI first = store.uris().get(0);
      metricsUrl = first.toString().replaceAll("/$", "") + "/metrics";
    }
    boolean tempDir = workDir == null;
    Path dir = tempDir ? Files.createTempDirectory("keel-template-watch") : Files.createDirectories(workDir);
    Path source = dir.resolve("app.conf.tmpl");
    Files.writeString(source, TEMPLATE);

    JsonLine json = new JsonLine().put("workload", "template-watch").put("label", label).put("units", units)
        .put("agents", agents).put("rate", rate).put("changes", changes);
    System.out.printf("template-watch: %d units on %d simulated agents, store %s, metrics %s%n",
        units, agents, store, metricsUrl);
    System.out.printf("  a reload = TemplateWatcher.Listener.onChanged; latency = just before the put -> onChanged%n");
    System.out.printf("  (own prefix: also from the put's response -> onChanged, when the response came first)%n");
    try (Client writer = store.connect()) {
      wipe(writer);
      for (long debounce : debounceMillis) {
        runPhase(store, writer, dir, source, debounce, false, json);
      }
      if (sharedChanges > 0) {
        for (long debounce : debounceMillis) {
          runPhase(store, writer, dir, source, debounce, true, json);
        }
      }
      wipe(writer);
    } finally {
      if (tempDir) {
        deleteTree(dir);
      }
    }
    emit(json);
    return 0;
  }

  /** One simulated agent: its client, executor and renderer, as the real agent has one of each. */
  private record Agent(Client client, Registry registry, ScheduledExecutorService executor, Renderer renderer) {}

  private void runPhase(StoreEndpoints store, Client writer, Path dir, Path source, long debounceMs, boolean shared,
      JsonLine json) throws Exception {
    String phase = (shared ? "shared" : "own") + "_d" + debounceMs;
    String prefix = phase + "_";
    System.out.printf("%n== phase %s: %s prefix, debounce %d ms ==%n", phase,
        shared ? "one shared" : "each unit its own", debounceMs);
    int perUnitSpacingMs = (int) (units * 1000 / rate);
    if (!shared && perUnitSpacingMs < 2 * debounceMs + 100) {
      System.out.printf("  warning: a unit's changes are only %d ms apart; some will coalesce%n", perUnitSpacingMs);
    }
    wipe(writer);
    // Initial keys, so the first rendering has content.
    if (shared) {
      Registry.await(put(writer, "/apps/shared/port", "0"));
    } else {
      bounded(units, 256, i -> put(writer, unitKey(i), "0"));
    }
    Path phaseDir = Files.createDirectories(dir.resolve(phase));

    MetricsScrape before = MetricsScrape.fetch(http, metricsUrl);
    WatchTraffic traffic = new WatchTraffic();
    List<Agent> agentList = new ArrayList<>();
    for (int a = 0; a < agents; a++) {
      Client client = connect(store, traffic);
      int id = a;
      ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-" + id + "-templates");
        t.setDaemon(true);
        return t;
      });
      agentList.add(new Agent(client, new Registry(client, store.toString()), executor,
          new Renderer(NO_CHECK, Renderer.CHECK_TIMEOUT_DEFAULT)));
    }

    AtomicLongArray sent = new AtomicLongArray(units);
    AtomicLongArray acked = new AtomicLongArray(units);
    LatencyStats latency = new LatencyStats();
    LatencyStats fromAck = new LatencyStats();
    LongAdder beforeAck = new LongAdder();
    LongAdder reloads = new LongAdder();
    LongAdder spurious = new LongAdder();
    AtomicInteger sharedRemaining = new AtomicInteger();
    LatencyStats sharedAll = new LatencyStats();
    long[] sharedStart = new long[1];
    TemplateWatcher.Timing timing = new TemplateWatcher.Timing(Duration.ofMillis(debounceMs),
        TemplateWatcher.MAX_DELAY_DEFAULT, TemplateWatcher.RETRY_DELAY_DEFAULT);

    List<TemplateWatcher> watchers = new ArrayList<>(units);
    List<CompletableFuture<?>> firsts = new ArrayList<>(units);
    long startNanos = System.nanoTime();
    LatencyStats firstRendering = new LatencyStats();
    for (int i = 0; i < units; i++) {
      Agent agent = agentList.get(i % agents);
      int unit = i;
      String keys = shared ? "/apps/shared/" : "/apps/u" + i + "/";
      TemplateSpec spec = new TemplateSpec(source, phaseDir.resolve("u" + i + ".conf"), UnitTemplates.DEFAULT_MODE,
          List.of());
      UnitTemplates templates = new UnitTemplates(List.of(spec), List.of(keys), Optional.empty(), List.of());
      TemplateWatcher watcher = new TemplateWatcher("u" + i + ".service", agent.registry(), templates,
          agent.renderer(), Clock.systemUTC(), agent.executor(), timing, new TemplateWatcher.Listener() {
            @Override
            public void onChanged(List<String> destinations) {
              long now = System.nanoTime();
              reloads.increment();
              long s = sent.getAndSet(unit, 0);
              if (s == 0) {
                spurious.increment();
                return;
              }
              latency.recordNanos(now - s);
              long a = acked.getAndSet(unit, 0);
              if (a != 0) {
                fromAck.recordNanos(now - a);
              } else if (!shared) {
                beforeAck.increment();
              }
              if (shared && sharedRemaining.decrementAndGet() == 0) {
                sharedAll.recordNanos(now - sharedStart[0]);
              }
            }
          });
      watchers.add(watcher);
      firsts.add(watcher.start().thenRun(() -> firstRendering.recordNanos(System.nanoTime() - startNanos)));
    }
    CompletableFuture.allOf(firsts.toArray(CompletableFuture[]::new)).get(timeoutSeconds, TimeUnit.SECONDS);
    double startupS = (System.nanoTime() - startNanos) / 1e9;
    Thread.sleep(1000); // let every watch be created on the store before counting
    WatchTraffic.Snapshot started = traffic.snapshot();
    MetricsScrape watching = MetricsScrape.fetch(http, metricsUrl);
    System.out.printf("  %d watchers started (first rendering of all) in %.2f s; first rendering %s%n",
        units, startupS, firstRendering.summary());

    // Measured changes.
    WatchTraffic.Snapshot measureFrom;
    MetricsScrape measureFromMetrics;
    LatencyStats putLatency = new LatencyStats();
    int measured;
    long coalesced = 0;
    if (!shared) {
      int[] order = shuffled(units, 42 + debounceMs);
      int k = 0;
      long intervalNanos = (long) (1e9 / rate);
      for (int w = 0; w < warmup; w++, k++) {
        coalesced += change(writer, sent, acked, order[k % units], k, null);
        LockSupport.parkNanos(intervalNanos);
      }
      awaitCondition("warm-up reloads", debounceMs, () -> allZero(sent));
      latency.reset();
      fromAck.reset();
      beforeAck.reset();
      reloads.reset();
      spurious.reset();
      coalesced = 0;
      measureFrom = traffic.snapshot();
      measureFromMetrics = MetricsScrape.fetch(http, metricsUrl);
      long next = System.nanoTime();
      for (int c = 0; c < changes; c++, k++) {
        long now;
        while ((now = System.nanoTime()) < next) {
          LockSupport.parkNanos(next - now);
        }
        next += intervalNanos;
        coalesced += change(writer, sent, acked, order[k % units], k, putLatency);
      }
      measured = changes;
    } else {
      reloads.reset();
      spurious.reset();
      measureFrom = traffic.snapshot();
      measureFromMetrics = MetricsScrape.fetch(http, metricsUrl);
      for (int c = 1; c <= sharedChanges; c++) {
        sharedRemaining.set(units);
        long t0 = System.nanoTime();
        sharedStart[0] = t0;
        for (int i = 0; i < units; i++) {
          sent.set(i, t0);
        }
        long t = System.nanoTime();
        Registry.await(put(writer, "/apps/shared/port", Integer.toString(c)));
        putLatency.recordNanos(System.nanoTime() - t);
        awaitCondition("every unit reloaded after shared change " + c, debounceMs, () -> allZero(sent));
        Thread.sleep(Math.max(100, debounceMs)); // quiet period between changes
      }
      measured = sharedChanges;
    }
    boolean drained = awaitQuietly(debounceMs, () -> allZero(sent));
    long missed = 0;
    for (int i = 0; i < units; i++) {
      if (sent.get(i) != 0) {
        missed++;
      }
    }
    Thread.sleep(Math.max(200, 2 * debounceMs)); // late spurious reloads would show up here
    WatchTraffic.Snapshot during = traffic.snapshot().minus(measureFrom);
    MetricsScrape after = MetricsScrape.fetch(http, metricsUrl);

    // Close and check the store released the watches.
    watchers.forEach(TemplateWatcher::close);
    for (Agent a : agentList) {
      a.executor().submit(() -> { }).get(10, TimeUnit.SECONDS);
    }
    Thread.sleep(1000);
    MetricsScrape closed = MetricsScrape.fetch(http, metricsUrl);
    for (Agent a : agentList) {
      a.client().close();
      a.executor().shutdownNow();
    }

    // Report.
    double streamsPerUnit = (double) started.watchStreams() / units;
    double createsPerUnit = (double) started.watchCreated() / units;
    double rangesPerUnit = (double) started.ranges() / units;
    double eventsPerChange = (double) during.watchEvents() / measured;
    double responsesPerChange = (double) during.watchResponses() / measured;
    System.out.printf("  reload latency (%d reloads, %d changes): %s%n", latency.count(), measured, latency.summary());
    if (shared) {
      System.out.printf("  until all %d units reloaded, per change: %s%n", units, sharedAll.summary());
    }
    System.out.printf("  put latency: %s%n", putLatency.summary());
    if (!shared) {
      System.out.printf("  from the put's response to reload (%d; %d reloaded before the response came): %s%n",
          fromAck.count(), beforeAck.sum(), fromAck.summary());
    }
    System.out.printf("  reloads %d, missed %d, spurious %d, coalesced %d%s%n", reloads.sum(), missed, spurious.sum(),
        coalesced, drained ? "" : " (NOT all reloaded before the timeout)");
    System.out.printf("  client side, per unit: %.2f watch streams, %.2f watches created, %.2f ranges at start;"
        + " other calls %d%n", streamsPerUnit, createsPerUnit, rangesPerUnit, started.otherCalls());
    System.out.printf("  client side, per change: %.2f watch events received in %.2f watch responses%n",
        eventsPerChange, responsesPerChange);
    json.put(prefix + "debounce_ms", debounceMs).put(prefix + "changes", measured);
    latency.writeTo(json, prefix + "reload_");
    if (shared) {
      sharedAll.writeTo(json, prefix + "all_reloaded_");
    }
    if (!shared) {
      fromAck.writeTo(json, prefix + "reload_after_put_");
      json.put(prefix + "reloaded_before_put_response", beforeAck.sum());
    }
    json.put(prefix + "put_p50_ms", putLatency.percentileMillis(50)).put(prefix + "put_p99_ms",
        putLatency.percentileMillis(99));
    json.put(prefix + "missed", missed).put(prefix + "spurious", spurious.sum()).put(prefix + "coalesced", coalesced);
    json.put(prefix + "startup_s", startupS).put(prefix + "first_render_p99_ms", firstRendering.percentileMillis(99));
    json.put(prefix + "client_watch_streams_per_unit", streamsPerUnit)
        .put(prefix + "client_watches_created_per_unit", createsPerUnit)
        .put(prefix + "client_ranges_per_unit", rangesPerUnit)
        .put(prefix + "client_events_per_change", eventsPerChange)
        .put(prefix + "client_watch_responses_per_change", responsesPerChange);
    storeSide(before, watching, measureFromMetrics, after, closed, measured, prefix, json);
  }

  /** The store's view: gauges while watching minus before, counters over the measured changes. */
  private void storeSide(MetricsScrape before, MetricsScrape watching, MetricsScrape from, MetricsScrape after,
      MetricsScrape closed, int measured, String prefix, JsonLine json) {
    if (before == null || watching == null) {
      System.out.printf("  store side: no metrics at %s%n", metricsUrl);
      return;
    }
    StringBuilder line = new StringBuilder("  store side:");
    for (String[] gauge : new String[][] {
        {"etcd_debugging_mvcc_watcher_total", "watchers"},
        {"etcd_debugging_mvcc_watch_stream_total", "watch_streams"},
        {"keel_store_watch_streams", "keel_watch_streams"}}) {
      OptionalDouble b = before.sum(gauge[0]);
      OptionalDouble w = watching.sum(gauge[0]);
      if (b.isPresent() && w.isPresent()) {
        double perUnit = (w.getAsDouble() - b.getAsDouble()) / units;
        OptionalDouble c = closed == null ? OptionalDouble.empty() : closed.sum(gauge[0]);
        line.append(String.format(Locale.ROOT, " %s +%.0f (%.2f/unit, %s after close)", gauge[1],
            w.getAsDouble() - b.getAsDouble(), perUnit,
            c.isPresent() ? String.format(Locale.ROOT, "%+.0f", c.getAsDouble() - b.getAsDouble()) : "?"));
        json.put(prefix + "store_" + gauge[1] + "_per_unit", perUnit);
        if (c.isPresent()) {
          json.put(prefix + "store_" + gauge[1] + "_after_close", c.getAsDouble() - b.getAsDouble());
        }
      }
    }
    if (from != null && after != null) {
      OptionalDouble e0 = from.sum("etcd_debugging_mvcc_events_total");
      OptionalDouble e1 = after.sum("etcd_debugging_mvcc_events_total");
      if (e0.isPresent() && e1.isPresent()) {
        double perChange = (e1.getAsDouble() - e0.getAsDouble()) / measured;
        line.append(String.format(Locale.ROOT, "; events sent %.2f/change", perChange));
        json.put(prefix + "store_events_per_change", perChange);
      }
      OptionalDouble s0 = from.sum("grpc_server_msg_sent_total", "grpc_method=\"Watch\"");
      OptionalDouble s1 = after.sum("grpc_server_msg_sent_total", "grpc_method=\"Watch\"");
      if (s0.isPresent() && s1.isPresent()) {
        double perChange = (s1.getAsDouble() - s0.getAsDouble()) / measured;
        line.append(String.format(Locale.ROOT, "; watch messages sent %.2f/change", perChange));
        json.put(prefix + "store_watch_msgs_per_change", perChange);
      }
    }
    System.out.println(line);
  }

  private Client connect(StoreEndpoints store, WatchTraffic traffic) {
    // As StoreEndpoints.connect(), plus the counting interceptor.
    return Client.builder()
        .endpoints(store.uris().toArray(URI[]::new))
        .connectTimeout(StoreEndpoints.CONNECT_TIMEOUT_DEFAULT)
        .waitForReady(false)
        .maxInboundMessageSize(StoreEndpoints.MAX_INBOUND_MESSAGE_BYTES)
        .interceptor(traffic)
        .build();
  }

  /** Marks unit {@code u} as changed now and puts its key; returns 1 if its previous change had not reloaded yet. */
  private static int change(Client writer, AtomicLongArray sent, AtomicLongArray acked, int u, int k,
      LatencyStats putLatency) {
    long t0 = System.nanoTime();
    long previous = sent.getAndSet(u, t0);
    acked.set(u, 0);
    CompletableFuture<?> f = put(writer, unitKey(u), Integer.toString(k + 1));
    f.thenRun(() -> {
      long now = System.nanoTime();
      if (putLatency != null) {
        putLatency.recordNanos(now - t0);
      }
      if (sent.get(u) == t0) {
        acked.set(u, now); // the unit has not reloaded yet
      }
    });
    return previous != 0 ? 1 : 0;
  }

  static String unitKey(int i) {
    return "/apps/u" + i + "/port";
  }

  private static CompletableFuture<?> put(Client client, String key, String value) {
    return client.getKVClient().put(Keys.bytes(key), Keys.bytes(value));
  }

  static int[] shuffled(int n, long seed) {
    List<Integer> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    Collections.shuffle(list, new Random(seed));
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean allZero(AtomicLongArray a) {
    for (int i = 0; i < a.length(); i++) {
      if (a.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private void awaitCondition(String what, long debounceMs, BooleanSupplier done) throws InterruptedException {
    if (!awaitQuietly(debounceMs, done)) {
      throw new IllegalStateException("timed out waiting for " + what);
    }
  }

  private boolean awaitQuietly(long debounceMs, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds) + TimeUnit.MILLISECONDS.toNanos(debounceMs);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(2);
    }
    return true;
  }

  private interface IntAsync {
    CompletableFuture<?> apply(int i);
  }

  private static void bounded(int n, int concurrency, IntAsync op) throws Exception {
    Semaphore permits = new Semaphore(concurrency);
    List<CompletableFuture<?>> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      permits.acquire();
      all.add(op.apply(i).whenComplete((r, e) -> permits.release()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
  }

  private static void wipe(Client client) throws Exception {
    client.getKVClient().delete(Keys.bytes("/apps/"), DeleteOption.builder().isPrefix(true).build())
        .get(30, TimeUnit.SECONDS);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // best effort
    }
  }

  private void emit(JsonLine json) throws Exception {
    String line = json.toString();
    System.out.println();
    System.out.println(line);
    if (jsonOut != null) {
      Files.writeString(jsonOut, line + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }
}
