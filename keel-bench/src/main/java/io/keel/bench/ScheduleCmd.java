package io.keel.bench;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.keel.cluster.engine.Engine;
import io.keel.cluster.engine.EngineConfig;
import io.keel.cluster.engine.ReconcileReport;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.cluster.registry.UnitRecord;
import io.keel.cluster.unit.UnitFile;
import io.keel.testkit.cluster.SimulatedCluster;
import io.keel.testkit.cluster.SimulatedMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cluster scheduling with the real store in the loop: registers {@code --machines} simulated
 * machines (each on its own lease, renewed), submits {@code --units} units (a share of them
 * service/backup pairs with Conflicts, a share with MachineMetadata constraints), starts one engine
 * in this JVM and measures:
 *
 * <ul>
 *   <li>time from engine start (load the cluster view, win the election, plan, write) until every
 *       unit is placed, and placements per second;
 *   <li>store writes per placement (committed revisions, and transactions including failed ones);
 *   <li>the engine's heap (used heap after GC, before the engine started and after it placed all);
 *   <li>machine loss: from the moment the store expires a machine's lease (its key's delete event)
 *       until all of its units are placed elsewhere, and how many reconciles that took.
 * </ul>
 *
 * Runs against a Keel store or a real etcd alike (it starts neither). It deletes everything under
 * {@code /keel/} first and last: point it at a scratch store.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
    description = "Cluster scheduling: N units onto M simulated machines with the store in the loop.")
public final class ScheduleCmd implements Callable<Integer> {
  @Option(names = "--endpoints", defaultValue = "http://127.0.0.1:2379",
      description = "Store endpoints, comma-separated (default: ${DEFAULT-VALUE}).")
  String endpoints;

  @Option(names = "--machines", defaultValue = "1000", description = "Simulated machines (default: ${DEFAULT-VALUE}).")
  int machines;

  @Option(names = "--units", defaultValue = "10000", description = "Units to place (default: ${DEFAULT-VALUE}).")
  int units;

  @Option(names = "--conflict-percent", defaultValue = "20",
      description = "Share of units in service/backup pairs that conflict (default: ${DEFAULT-VALUE}).")
  int conflictPercent;

  @Option(names = "--metadata-percent", defaultValue = "20",
      description = "Share of units with MachineMetadata constraints (default: ${DEFAULT-VALUE}).")
  int metadataPercent;

  @Option(names = "--ttl", defaultValue = "10", description = "Machine lease TTL in seconds (default: ${DEFAULT-VALUE}).")
  long ttlSeconds;

  @Option(names = "--submit-concurrency", defaultValue = "256",
      description = "Unit submissions in flight (default: ${DEFAULT-VALUE}).")
  int submitConcurrency;

  @Option(names = "--timeout", defaultValue = "600", description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--label", defaultValue = "", description = "Free text copied into the JSON line.")
  String label;

  @Option(names = "--json-out", description = "Also append the JSON line to this file.")
  Path jsonOut;

  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  @Override
  public Integer call() throws Exception {
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    StoreEndpoints store = StoreEndpoints.parse(endpoints);
    Duration ttl = Duration.ofSeconds(ttlSeconds);
    JsonLine json = new JsonLine().put("workload", "schedule").put("label", label).put("machines", machines)
        .put("units", units).put("conflict_percent", conflictPercent).put("metadata_percent", metadataPercent);
    try (Client client = store.connect()) {
      Registry registry = new Registry(client, store.toString(), Duration.ofSeconds(30));
      wipe(client);
      Registry.await(registry.ensureLayout());

      System.out.printf("registering %d simulated machines (lease TTL %ds)...%n", machines, ttlSeconds);
      SimulatedCluster cluster = SimulatedCluster.create(client, ttl, false, SimulatedCluster.UnitFilter.NO_GLOBAL_UNITS);
      ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "engine");
        t.setDaemon(true);
        return t;
      });
      Engine engine = null;
      try {
        long t = System.nanoTime();
        bounded(machines, submitConcurrency, i -> cluster.addAsync(machine(i)));
        json.put("register_s", seconds(System.nanoTime() - t));

        System.out.printf("submitting %d units...%n", units);
        t = System.nanoTime();
        bounded(units, submitConcurrency, i -> registry.createUnit(unit(i)));
        json.put("submit_s", seconds(System.nanoTime() - t));

        long heapBefore = usedHeapAfterGc();
        long revisionBefore = revision(registry);
        List<ReconcileReport> reports = new CopyOnWriteArrayList<>();

        System.out.println("starting the engine...");
        long start = System.nanoTime();
        engine = new Engine(registry, "bench-engine", EngineConfig.DEFAULT, executor, Clock.systemUTC());
        engine.onReconcile(reports::add);
        engine.start();
        Engine e = engine;
        awaitCondition("the engine leads", () -> e.isLeader());
        long leading = System.nanoTime();
        awaitCondition("every unit placed", () -> placed(e) >= units);
        long done = System.nanoTime();

        long placedInStore = Registry.await(client.getKVClient().get(Keys.bytes(Keys.SCHEDULE),
            GetOption.builder().isPrefix(true).withCountOnly(true).build())).getCount();
        long unschedulable = Registry.await(client.getKVClient().get(Keys.bytes(Keys.UNSCHEDULABLE),
            GetOption.builder().isPrefix(true).withCountOnly(true).build())).getCount();
        long revisionAfter = revision(registry);
        long heapAfter = usedHeapAfterGc();
        int transactions = reports.stream().mapToInt(ReconcileReport::transactions).sum();
        ReconcileReport biggest = reports.stream().max((a, b) -> Integer.compare(a.decisions(), b.decisions()))
            .orElseThrow();
        double scheduleSeconds = seconds(done - start);
        json.put("placed", placedInStore).put("unschedulable", unschedulable)
            .put("schedule_s", scheduleSeconds)
            .put("schedule_from_leader_s", seconds(done - leading))
            .put("placements_per_s", placedInStore / scheduleSeconds)
            .put("write_revisions", revisionAfter - revisionBefore)
            .put("revisions_per_placement", (revisionAfter - revisionBefore) / (double) placedInStore)
            .put("txns", transactions)
            .put("txns_per_placement", transactions / (double) placedInStore)
            .put("reconciles", reports.size())
            .put("full_plan_ms", biggest.planTime().toNanos() / 1e6)
            .put("full_write_ms", biggest.writeTime().toNanos() / 1e6)
            .put("engine_heap_mb", (heapAfter - heapBefore) / 1048576.0);

        System.out.println("machine loss: letting one machine's lease expire...");
        measureLoss(client, cluster, engine, reports, json);
      } finally {
        if (engine != null) {
          engine.close();
        }
        executor.shutdownNow();
        cluster.close();
        wipe(client);
      }
    }
    print(json);
    return 0;
  }

  private void measureLoss(Client client, SimulatedCluster cluster, Engine engine, List<ReconcileReport> reports,
      JsonLine json) throws Exception {
    Map<String, String> placements = engine.inspect(view -> {
      Map<String, String> m = new HashMap<>();
      view.schedule().forEach((name, s) -> m.put(name, s.value().machineID()));
      return m;
    }).get().orElseThrow();
    Map<String, Long> perMachine = placements.values().stream()
        .collect(Collectors.groupingBy(m -> m, Collectors.counting()));
    String victim = perMachine.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    Set<String> victims = placements.entrySet().stream().filter(en -> en.getValue().equals(victim))
        .map(Map.Entry::getKey).collect(Collectors.toSet());

    AtomicLong deletedAt = new AtomicLong();
    AtomicLong deletedRevision = new AtomicLong();
    var watcher = client.getWatchClient().watch(Keys.bytes(Keys.machine(victim)), response -> {
      for (WatchEvent event : response.getEvents()) {
        if (event.getEventType() == WatchEvent.EventType.DELETE && deletedAt.get() == 0) {
          deletedRevision.set(event.getKeyValue().getModRevision());
          deletedAt.set(System.nanoTime());
        }
      }
    });
    try {
      cluster.crash(victim);
      awaitCondition("the store expires " + victim + "'s lease", () -> deletedAt.get() != 0);
      awaitCondition("its units placed elsewhere", () -> {
        try {
          return engine.inspect(view -> victims.stream().allMatch(u -> view.schedule().containsKey(u)
              && !view.schedule().get(u).value().machineID().equals(victim))).get().orElse(false);
        } catch (Exception e) {
          return false;
        }
      });
      long replaced = System.nanoTime();
      // the view can show the new placements before the reconcile that wrote them has reported
      awaitCondition("the engine reports that reconcile", () -> reports.stream()
          .anyMatch(r -> r.viewRevision() >= deletedRevision.get() && r.placed() > 0));
      List<ReconcileReport> after = reports.stream().filter(r -> r.viewRevision() >= deletedRevision.get()
          && r.decisions() > 0).toList();
      ReconcileReport first = after.isEmpty() ? null : after.get(0);
      json.put("loss_units", victims.size())
          .put("loss_to_replaced_ms", (replaced - deletedAt.get()) / 1e6)
          .put("loss_reconciles", after.size())
          .put("loss_first_reconcile_placed", first == null ? 0 : first.placed())
          .put("loss_plan_ms", first == null ? 0 : first.planTime().toNanos() / 1e6)
          .put("loss_write_ms", first == null ? 0 : first.writeTime().toNanos() / 1e6);
    } finally {
      watcher.close();
    }
  }

  private SimulatedMachine machine(int i) {
    Map<String, String> metadata = Map.of(
        "rack", "r" + (i % 40),
        "zone", "z" + (i % 3),
        "role", i % 5 == 0 ? "db" : "web");
    return new SimulatedMachine(String.format("m%05d", i), "127.0.0.1", metadata, 0, 0);
  }

  /** Unit {@code i}: service/backup pairs with Conflicts first, then metadata-constrained, then plain. */
  private UnitRecord unit(int i) {
    int conflicting = units * conflictPercent / 100 / 2 * 2;
    int constrained = units * metadataPercent / 100;
    String name;
    String xfleet;
    if (i < conflicting) {
      int pair = i / 2;
      boolean backup = i % 2 == 1;
      name = "svc" + pair + (backup ? "-backup" : "") + ".service";
      xfleet = "Conflicts=svc" + pair + (backup ? "" : "-backup") + ".service\n";
    } else if (i < conflicting + constrained) {
      name = "db" + i + ".service";
      xfleet = i % 2 == 0 ? "MachineMetadata=role=db\n" : "MachineMetadata=role=db\nMachineMetadata=zone=z1\n";
    } else {
      name = "app" + i + ".service";
      xfleet = "";
    }
    UnitFile file = UnitFile.parse("[Unit]\nDescription=bench " + name + "\n\n[Service]\nExecStart=/bin/sleep 1d\n"
        + (xfleet.isEmpty() ? "" : "\n[X-Fleet]\n" + xfleet));
    return new UnitRecord(name, file.text(), file.hash(), "launched");
  }

  private static int placed(Engine engine) {
    try {
      return engine.inspect(view -> view.schedule().size()).get().orElse(0);
    } catch (Exception e) {
      return 0;
    }
  }

  private interface Start {
    CompletableFuture<?> start(int i);
  }

  /** Runs {@code count} async operations with at most {@code concurrency} in flight; fails on the first error. */
  private void bounded(int count, int concurrency, Start op) throws Exception {
    Semaphore slots = new Semaphore(concurrency);
    List<CompletableFuture<?>> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      slots.acquire();
      CompletableFuture<?> f = op.start(i);
      f.whenComplete((v, e) -> slots.release());
      all.add(f);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(timeoutSeconds, TimeUnit.SECONDS);
  }

  private void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeoutSeconds + "s waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private static long revision(Registry registry) {
    return Registry.await(registry.range(Keys.bytes("/"), Keys.bytes("/"), 1, 0)).revision();
  }

  private static void wipe(Client client) throws Exception {
    client.getKVClient().delete(Keys.bytes(Keys.ROOT), DeleteOption.builder().isPrefix(true).build())
        .get(60, TimeUnit.SECONDS);
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private void print(JsonLine json) throws IOException {
    System.out.printf(Locale.ROOT, "placed %s of %d units on %d machines in %.2fs (%.0f placements/s); "
            + "%.4f store writes (txns) per placement; engine heap %.1f MB%n",
        json.get("placed"), units, machines, (double) json.get("schedule_s"), (double) json.get("placements_per_s"),
        (double) json.get("txns_per_placement"), (double) json.get("engine_heap_mb"));
    System.out.printf(Locale.ROOT, "machine loss: %s units placed elsewhere %.0f ms after the lease expired, "
            + "in %s reconcile(s)%n", json.get("loss_units"), (double) json.get("loss_to_replaced_ms"),
        json.get("loss_reconciles"));
    String line = json.toString();
    System.out.println(line);
    if (jsonOut != null) {
      Files.writeString(jsonOut, line + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }
}
