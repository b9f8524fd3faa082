package io.keel.bench.rolling;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.keel.bench.JsonLine;
import io.keel.cluster.engine.Engine;
import io.keel.cluster.engine.EngineConfig;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.cluster.registry.UnitRecord;
import io.keel.cluster.unit.UnitFile;
import io.keel.lifecycle.locksmith.Backoff;
import io.keel.lifecycle.locksmith.LockKeys;
import io.keel.lifecycle.locksmith.RebootCoordinator;
import io.keel.lifecycle.locksmith.RebootLock;
import io.keel.lifecycle.locksmith.Semaphore;
import io.keel.lifecycle.locksmith.Strategy;
import io.keel.testkit.cluster.SimulatedCluster;
import io.keel.testkit.cluster.SimulatedMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A rolling update of {@code --nodes} simulated nodes under the locksmith reboot lock with
 * {@code --max} slots, with the real store, the real engine and the real {@link RebootCoordinator}
 * in the loop.
 *
 * <p>Each node is a {@link SimulatedCluster} machine (its record on a lease, acting as an agent
 * that reports its units' states) with its own {@link RebootCoordinator} (strategy etcd-lock, no
 * window) on {@link RebootLock} at the global semaphore. The reboot action revokes the machine's
 * lease (its record and unit states vanish, so the engine moves its units elsewhere), waits
 * {@code --downtime}, registers the machine again and calls {@code machineHealthy()}, which
 * releases the lock. Every node is told {@code rebootNeeded()} at once.
 *
 * <p>Measured: total time until every node has rebooted once (released its slot) and until every
 * unit runs again; the most nodes down at once (in process) and the most holders any stored value
 * of the semaphore had (through a watch on the key): the run fails if either exceeds {@code max};
 * lock store requests (gRPC Range and Txn calls on the lock's own client) per reboot, lock writes
 * and CAS conflicts; store revisions per reboot; and per unit outage (from the moment its machine
 * starts to reboot until another machine reports it launched) p50/p99/max, with the time until the
 * engine placed it elsewhere.
 *
 * <p>It deletes everything under {@code /keel/} and the global reboot semaphore first and last:
 * point it at a scratch store.
 */
@Command(name = "rolling-update", mixinStandardHelpOptions = true,
    description = "Rolling update of N simulated nodes under the locksmith reboot lock (max M).")
public final class RollingUpdateCmd implements Callable<Integer> {
  @Option(names = "--endpoints", defaultValue = "http://127.0.0.1:2379",
      description = "Store endpoints, comma-separated (default: ${DEFAULT-VALUE}).")
  String endpoints;

  @Option(names = "--nodes", defaultValue = "50", description = "Simulated nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--max", defaultValue = "1", description = "Reboot lock slots (default: ${DEFAULT-VALUE}).")
  int max;

  @Option(names = "--units-per-node", defaultValue = "2",
      description = "Units submitted per node, placed by the engine (default: ${DEFAULT-VALUE}).")
  int unitsPerNode;

  @Option(names = "--downtime", defaultValue = "250",
      description = "Simulated reboot: milliseconds between leaving and registering again (default: ${DEFAULT-VALUE}).")
  long downtimeMs;

  @Option(names = "--backoff-min", defaultValue = "20",
      description = "Coordinator retry backoff, first delay in ms (default: ${DEFAULT-VALUE}).")
  long backoffMinMs;

  @Option(names = "--backoff-max", defaultValue = "1000",
      description = "Coordinator retry backoff cap in ms (default: ${DEFAULT-VALUE}).")
  long backoffMaxMs;

  @Option(names = "--ttl", defaultValue = "10", description = "Machine lease TTL in seconds (default: ${DEFAULT-VALUE}).")
  long ttlSeconds;

  @Option(names = "--coordinator-threads", defaultValue = "4",
      description = "Single-threaded executors the coordinators share (default: ${DEFAULT-VALUE}).")
  int coordinatorThreads;

  @Option(names = "--timeout", defaultValue = "900", description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--label", defaultValue = "", description = "Free text copied into the JSON line.")
  String label;

  @Option(names = "--json-out", description = "Also append the JSON line to this file.")
  Path jsonOut;

  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  @Override
  public Integer call() throws Exception {
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    // every coordinator logs each state change at INFO: 500 nodes would drown the summary
    System.setProperty("org.slf4j.simpleLogger.log.io.keel.lifecycle", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.keel.cluster", "warn");
    if (nodes < 1 || max < 1 || unitsPerNode < 0) {
      throw new IllegalArgumentException("--nodes and --max must be 1 or more, --units-per-node 0 or more");
    }
    StoreEndpoints store = StoreEndpoints.parse(endpoints);
    int units = nodes * unitsPerNode;
    JsonLine json = new JsonLine().put("workload", "rolling-update").put("label", label).put("nodes", nodes)
        .put("max", max).put("units", units).put("downtime_ms", downtimeMs)
        .put("backoff_min_ms", backoffMinMs).put("backoff_max_ms", backoffMaxMs);
    CallCounter lockCalls = new CallCounter();
    Client lockClient = io.etcd.jetcd.Client.builder()
        .endpoints(store.uris().toArray(java.net.URI[]::new))
        .connectTimeout(StoreEndpoints.CONNECT_TIMEOUT_DEFAULT)
        .waitForReady(false)
        .interceptor(lockCalls)
        .build();
    List<String> problems = new CopyOnWriteArrayList<>();
    try (Client client = store.connect(); lockClient) {
      Registry registry = new Registry(client, store.toString(), Duration.ofSeconds(30));
      Registry lockRegistry = new Registry(lockClient, store.toString(), Duration.ofSeconds(10));
      ByteSequence lockKey = ByteSequence.from(LockKeys.GLOBAL, StandardCharsets.UTF_8);
      wipe(client, lockKey);
      Registry.await(registry.ensureLayout());

      UnitOutages outages = new UnitOutages();
      long startRevision = revision(registry);
      Watch.Watcher keelWatch = client.getWatchClient().watch(Keys.bytes(Keys.ROOT),
          WatchOption.builder().isPrefix(true).withRevision(startRevision + 1).build(),
          Watch.listener(response -> {
            long now = System.nanoTime();
            for (WatchEvent event : response.getEvents()) {
              observe(outages, event, now);
            }
          }, error -> problems.add("watch on /keel/ failed: " + error)));
      AtomicInteger maxHolders = new AtomicInteger();
      AtomicLong lockWrites = new AtomicLong();
      Watch.Watcher lockWatch = client.getWatchClient().watch(lockKey,
          WatchOption.builder().withRevision(startRevision + 1).build(),
          Watch.listener(response -> {
            for (WatchEvent event : response.getEvents()) {
              if (event.getEventType() != WatchEvent.EventType.PUT) {
                continue;
              }
              lockWrites.incrementAndGet();
              Semaphore s = Semaphore.parse(LockKeys.GLOBAL, event.getKeyValue().getValue().getBytes());
              maxHolders.accumulateAndGet(s.holders().size(), Math::max);
              if (s.holders().size() > max) {
                problems.add("the stored semaphore had " + s.holders().size() + " holders (max " + max + "): "
                    + s.holdersText());
              }
            }
          }, error -> problems.add("watch on the reboot lock failed: " + error)));

      SimulatedCluster cluster = SimulatedCluster.create(client, Duration.ofSeconds(ttlSeconds), true,
          SimulatedCluster.UnitFilter.NO_GLOBAL_UNITS);
      ScheduledExecutorService engineExecutor = daemonScheduler("engine");
      ScheduledExecutorService machines = Executors.newScheduledThreadPool(4, daemon("reboots"));
      ScheduledExecutorService[] coordinatorExecutors = new ScheduledExecutorService[coordinatorThreads];
      for (int i = 0; i < coordinatorThreads; i++) {
        coordinatorExecutors[i] = daemonScheduler("coordinator-" + i);
      }
      Engine engine = null;
      List<RebootCoordinator> coordinators = new ArrayList<>();
      try {
        System.out.printf("registering %d simulated nodes, %d units...%n", nodes, units);
        long t = System.nanoTime();
        List<CompletableFuture<?>> adds = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
          adds.add(cluster.addAsync(machine(i)));
        }
        CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new)).get(timeoutSeconds, TimeUnit.SECONDS);
        List<CompletableFuture<?>> creates = new ArrayList<>();
        for (int i = 0; i < units; i++) {
          UnitRecord unit = unit(i);
          outages.unit(unit.name());
          creates.add(registry.createUnit(unit));
        }
        CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).get(timeoutSeconds, TimeUnit.SECONDS);
        engine = new Engine(registry, "bench-engine", EngineConfig.DEFAULT, engineExecutor, Clock.systemUTC());
        engine.start();
        awaitCondition("every unit runs", () -> outages.unavailable() == 0);
        json.put("setup_s", seconds(System.nanoTime() - t));
        System.out.printf(Locale.ROOT, "%d units running on %d nodes after %.1fs%n", units, nodes,
            seconds(System.nanoTime() - t));

        RebootLock lock = RebootLock.on(lockRegistry, LockKeys.GLOBAL);
        lock.reset(max);
        outages.clearOutages();
        maxHolders.set(0);

        String[] ids = new String[nodes];
        long[] rebootAt = new long[nodes];
        long[] releasedAt = new long[nodes];
        Map<String, Integer> index = new ConcurrentHashMap<>();
        AtomicInteger released = new AtomicInteger();
        AtomicInteger down = new AtomicInteger();
        AtomicInteger maxDown = new AtomicInteger();
        CountingLock counting = new CountingLock(lock, id -> {
          Integer i = index.get(id);
          if (i != null && releasedAt[i] == 0 && rebootAt[i] != 0) {
            releasedAt[i] = System.nanoTime();
            released.incrementAndGet();
          }
        });
        Backoff backoff = new Backoff(Duration.ofMillis(backoffMinMs), Duration.ofMillis(backoffMaxMs));
        for (int i = 0; i < nodes; i++) {
          int n = i;
          ids[i] = machine(i).id();
          index.put(ids[i], i);
          RebootCoordinator[] self = new RebootCoordinator[1];
          RebootCoordinator c = new RebootCoordinator(
              new RebootCoordinator.Config(ids[i], Strategy.ETCD_LOCK, Optional.empty(), ZoneOffset.UTC, backoff),
              counting,
              () -> {
                long now = System.nanoTime();
                rebootAt[n] = now;
                int d = down.incrementAndGet();
                maxDown.accumulateAndGet(d, Math::max);
                if (d > max) {
                  problems.add(d + " nodes rebooting at once (max " + max + ")");
                }
                outages.machineLeaving(ids[n], now);
                machines.execute(() -> {
                  try {
                    cluster.leave(ids[n]);
                  } catch (RuntimeException e) {
                    problems.add(ids[n] + " could not leave: " + e.getMessage());
                  }
                  machines.schedule(() -> {
                    try {
                      cluster.add(machine(n));
                    } catch (RuntimeException e) {
                      problems.add(ids[n] + " could not come back: " + e.getMessage());
                    }
                    down.decrementAndGet();
                    self[0].machineHealthy();
                  }, downtimeMs, TimeUnit.MILLISECONDS);
                });
              },
              Clock.systemUTC(), coordinatorExecutors[i % coordinatorThreads]);
          self[0] = c;
          coordinators.add(c);
        }

        lockCalls.reset();
        long revisionBefore = revision(registry);
        long writesBefore = lockWrites.get();
        System.out.printf("rolling update: %d nodes, max %d, downtime %d ms, backoff %d..%d ms...%n", nodes, max,
            downtimeMs, backoffMinMs, backoffMaxMs);
        long start = System.nanoTime();
        coordinators.forEach(RebootCoordinator::rebootNeeded);
        awaitCondition("every node rebooted once", () -> released.get() >= nodes || problems.size() > 100);
        if (released.get() < nodes) {
          throw new IllegalStateException("aborted after " + released.get() + " of " + nodes + " reboots: "
              + problems.size() + " problems, first: " + problems.get(0));
        }
        long allRebooted = java.util.Arrays.stream(releasedAt).max().orElse(start);
        Map<String, Long> requests = lockCalls.snapshot();
        awaitCondition("every unit runs again", () -> outages.unavailable() == 0 && outages.openOutages() == 0);
        long allBack = System.nanoTime();
        long revisionAfter = revision(registry);
        long writes = lockWrites.get() - writesBefore;

        long lockRequests = requests.values().stream().mapToLong(Long::longValue).sum();
        long txns = requests.getOrDefault("Txn", 0L);
        List<UnitOutages.Outage> closed = outages.outages();
        long[] downNanos = closed.stream().mapToLong(UnitOutages.Outage::downNanos).toArray();
        long[] reschedNanos = closed.stream().mapToLong(UnitOutages.Outage::rescheduleNanos).filter(v -> v >= 0)
            .toArray();
        long[] waitNanos = java.util.Arrays.stream(rebootAt).map(v -> v - start).toArray();
        long[] holdNanos = new long[nodes];
        for (int i = 0; i < nodes; i++) {
          holdNanos[i] = releasedAt[i] - rebootAt[i];
        }
        double total = seconds(allRebooted - start);
        json.put("total_s", total)
            .put("all_units_back_s", seconds(allBack - start))
            .put("per_reboot_ms", (allRebooted - start) / 1e6 / nodes * max)
            .put("max_down", maxDown.get())
            .put("max_holders_stored", maxHolders.get())
            .put("lock_requests", lockRequests)
            .put("lock_requests_per_reboot", lockRequests / (double) nodes)
            .put("lock_ranges", requests.getOrDefault("Range", 0L))
            .put("lock_txns", txns)
            .put("lock_writes", writes)
            .put("lock_cas_conflicts", Math.max(0, txns - writes))
            .put("lock_attempts", counting.lockCalls())
            .put("lock_refused", counting.refused())
            .put("lock_errors", counting.failed())
            .put("lock_attempts_per_reboot", counting.lockCalls() / (double) nodes)
            .put("store_revisions", revisionAfter - revisionBefore)
            .put("revisions_per_reboot", (revisionAfter - revisionBefore) / (double) nodes)
            .put("lock_wait_p50_s", seconds(UnitOutages.percentile(waitNanos, 50)))
            .put("lock_wait_max_s", seconds(UnitOutages.percentile(waitNanos, 100)))
            .put("hold_p50_ms", UnitOutages.percentile(holdNanos, 50) / 1e6)
            .put("hold_max_ms", UnitOutages.percentile(holdNanos, 100) / 1e6)
            .put("unit_outages", closed.size())
            .put("unit_down_p50_ms", UnitOutages.percentile(downNanos, 50) / 1e6)
            .put("unit_down_p99_ms", UnitOutages.percentile(downNanos, 99) / 1e6)
            .put("unit_down_max_ms", UnitOutages.percentile(downNanos, 100) / 1e6)
            .put("unit_resched_p50_ms", UnitOutages.percentile(reschedNanos, 50) / 1e6)
            .put("unit_resched_p99_ms", UnitOutages.percentile(reschedNanos, 99) / 1e6)
            .put("unit_resched_max_ms", UnitOutages.percentile(reschedNanos, 100) / 1e6)
            .put("ok", problems.isEmpty());
      } finally {
        coordinators.forEach(RebootCoordinator::close);
        if (engine != null) {
          engine.close();
        }
        keelWatch.close();
        lockWatch.close();
        machines.shutdownNow();
        for (ScheduledExecutorService e : coordinatorExecutors) {
          e.shutdownNow();
        }
        engineExecutor.shutdownNow();
        cluster.close();
        wipe(client, lockKey);
      }
    }
    print(json, problems);
    return problems.isEmpty() ? 0 : 1;
  }

  private static void observe(UnitOutages outages, WatchEvent event, long now) {
    KeyValue kv = event.getKeyValue();
    String key = Keys.string(kv.getKey());
    boolean deleted = event.getEventType() == WatchEvent.EventType.DELETE;
    if (key.startsWith(Keys.STATE)) {
      String rest = key.substring(Keys.STATE.length());
      int slash = rest.lastIndexOf('/');
      if (slash <= 0) {
        return;
      }
      String unit = rest.substring(0, slash);
      String machine = rest.substring(slash + 1);
      outages.state(unit, machine, deleted ? null : field(kv, "jobState"), now);
    } else if (key.startsWith(Keys.SCHEDULE) && !deleted) {
      String machine = field(kv, "machineID");
      if (machine != null) {
        outages.scheduled(key.substring(Keys.SCHEDULE.length()), machine, now);
      }
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private static String field(KeyValue kv, String name) {
    try {
      var node = JSON.readTree(kv.getValue().getBytes()).get(name);
      return node == null ? null : node.asText();
    } catch (IOException e) {
      return null;
    }
  }

  private static SimulatedMachine machine(int i) {
    return SimulatedMachine.of(String.format("node%04d", i), Map.of("role", "worker"));
  }

  private static UnitRecord unit(int i) {
    String name = String.format("app%05d.service", i);
    UnitFile file = UnitFile.parse("[Unit]\nDescription=bench " + name + "\n\n[Service]\nExecStart=/bin/sleep 1d\n");
    return new UnitRecord(name, file.text(), file.hash(), "launched");
  }

  private void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeoutSeconds + "s waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  private static long revision(Registry registry) {
    return Registry.await(registry.range(Keys.bytes("/"), Keys.bytes("/"), 1, 0)).revision();
  }

  private static void wipe(Client client, ByteSequence lockKey) throws Exception {
    client.getKVClient().delete(Keys.bytes(Keys.ROOT), DeleteOption.builder().isPrefix(true).build())
        .get(60, TimeUnit.SECONDS);
    client.getKVClient().delete(lockKey).get(60, TimeUnit.SECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(daemon(name));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private void print(JsonLine json, List<String> problems) throws IOException {
    if (json.get("total_s") != null) {
      System.out.printf(Locale.ROOT, "%d nodes rebooted (max %d at once) in %.2fs, every unit back after %.2fs; "
              + "at most %s down at once, %s holders stored%n", nodes, max, (double) json.get("total_s"),
          (double) json.get("all_units_back_s"), json.get("max_down"), json.get("max_holders_stored"));
      System.out.printf(Locale.ROOT, "lock: %.1f store requests per reboot (%s ranges, %s txns, %s writes, "
              + "%s CAS conflicts; %s attempts, %s refused); %.1f store revisions per reboot%n",
          (double) json.get("lock_requests_per_reboot"), json.get("lock_ranges"), json.get("lock_txns"),
          json.get("lock_writes"), json.get("lock_cas_conflicts"), json.get("lock_attempts"), json.get("lock_refused"),
          (double) json.get("revisions_per_reboot"));
      System.out.printf(Locale.ROOT, "units: %s outages, unavailable p50 %.0f ms, p99 %.0f ms, max %.0f ms "
              + "(placed elsewhere p50 %.0f ms, p99 %.0f ms)%n", json.get("unit_outages"),
          (double) json.get("unit_down_p50_ms"), (double) json.get("unit_down_p99_ms"),
          (double) json.get("unit_down_max_ms"), (double) json.get("unit_resched_p50_ms"),
          (double) json.get("unit_resched_p99_ms"));
    }
    for (String p : problems.stream().limit(20).toList()) {
      System.out.println("PROBLEM: " + p);
    }
    String line = json.toString();
    System.out.println(line);
    if (jsonOut != null) {
      Files.writeString(jsonOut, line + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }
}
