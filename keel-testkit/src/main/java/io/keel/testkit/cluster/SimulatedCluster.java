package io.keel.testkit.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Simulated machines: in-process stand-ins for nodes and their agents that talk to the store only
 * through the keys a real agent uses, read and written here independently of Keel's own registry
 * code (so a test checks the key layout, not just one implementation against itself).
 *
 * <p>Each machine registers {@code /keel/machines/<id>} on its own lease and renews it every third
 * of the TTL. With state reporting on, every machine acts as an agent: for each unit scheduled to it
 * ({@code /keel/schedule/<name>}) or global and accepted by the {@link UnitFilter}, it walks the unit
 * from its reported job state to the desired one ({@code /keel/units/<name>}) one adjacent step at
 * a time ({@code inactive <-> loaded <-> launched}), writing {@code /keel/state/<name>/<id>} on its
 * lease after each step, and removes the key when the unit goes inactive. Every step is recorded
 * ({@link #transitions()}).
 *
 * <p>{@link #crash} stops a machine's renewals without revoking its lease, so the store expires it
 * after the TTL, as when a machine dies. {@link #leave} revokes the lease at once.
 *
 * <p>One watch on {@code /keel/} and one thread serve every machine.
 */
public final class SimulatedCluster implements AutoCloseable {

    /** Decides whether a global unit runs on a machine (real agents use the unit's requirements). */
    @FunctionalInterface
    public interface UnitFilter {
        boolean runsGlobalUnit(String unitName, String unitFile, SimulatedMachine machine);

        /** Treats no unit as global: only units the engine schedules run. */
        UnitFilter NO_GLOBAL_UNITS = (name, file, machine) -> false;
    }

    /** One step a machine took for one unit: {@code from -> to} are job states. */
    public record Transition(String machineId, String unit, String from, String to) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STATES = List.of("inactive", "loaded", "launched");

    private final Client client;
    private final Duration ttl;
    private final boolean reportStates;
    private final UnitFilter filter;
    private final ScheduledExecutorService executor;
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    private final List<Transition> transitions = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> units = new HashMap<>();
    private final Map<String, String> schedule = new HashMap<>();
    private Watch.Watcher watcher;

    private SimulatedCluster(Client client, Duration ttl, boolean reportStates, UnitFilter filter) {
        this.client = client;
        this.ttl = ttl;
        this.reportStates = reportStates;
        this.filter = filter;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulated-cluster");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates an empty simulated cluster on {@code client}.
     *
     * @param ttl each machine's lease TTL
     * @param reportStates act as agents (watch the schedule and report unit states); off, machines
     *     only register and renew, which is all a scheduling benchmark needs
     */
    public static SimulatedCluster create(Client client, Duration ttl, boolean reportStates, UnitFilter filter) {
        SimulatedCluster cluster = new SimulatedCluster(client, ttl, reportStates, filter);
        if (reportStates) {
            cluster.await(cluster.call(cluster::startWatching));
        }
        return cluster;
    }

    /** Registers a machine and returns once its record is in the store. */
    public void add(SimulatedMachine machine) {
        await(addAsync(machine));
    }

    /** Registers a machine; the future completes once its record is in the store. */
    public CompletableFuture<Void> addAsync(SimulatedMachine machine) {
        return client.getLeaseClient().grant(ttl.toSeconds()).thenCompose(grant -> {
            Member member = new Member(machine, grant.getID());
            ByteSequence key = bytes("/keel/machines/" + machine.id());
            return client.getKVClient().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(key, json(machineRecord(machine)), PutOption.builder().withLeaseId(grant.getID()).build()))
                    .commit()
                    .thenCompose(txn -> {
                        if (!txn.isSucceeded()) {
                            return CompletableFuture.failedFuture(new IllegalStateException(
                                    "machine " + machine.id() + " is already registered"));
                        }
                        return call(() -> {
                            members.put(machine.id(), member);
                            member.renewal = executor.scheduleWithFixedDelay(() -> renew(member),
                                    ttl.toMillis() / 3, ttl.toMillis() / 3, TimeUnit.MILLISECONDS);
                            reconcile(member);
                            return null;
                        });
                    });
        });
    }

    /** The machine ids currently registered by this simulation. */
    public List<String> machineIds() {
        return new ArrayList<>(members.keySet());
    }

    /** The lease a machine's keys are on. */
    public long lease(String machineId) {
        return member(machineId).lease;
    }

    /** Stops renewing the machine's lease without revoking it: the store expires it after the TTL. */
    public void crash(String machineId) {
        await(call(() -> {
            Member m = members.remove(machineId);
            if (m != null) {
                m.renewal.cancel(false);
            }
            return null;
        }));
    }

    /** Revokes the machine's lease: its record and states disappear at once. */
    public void leave(String machineId) {
        Member m = await(call(() -> {
            Member removed = members.remove(machineId);
            if (removed != null) {
                removed.renewal.cancel(false);
            }
            return removed;
        }));
        if (m != null) {
            await(client.getLeaseClient().revoke(m.lease));
        }
    }

    /** Every job-state step any machine took, in order. */
    public List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    /** The job state a machine last reported for a unit ({@code inactive} if none). */
    public String reportedState(String machineId, String unit) {
        return await(call(() -> {
            Member m = members.get(machineId);
            return m == null ? "inactive" : m.reported.getOrDefault(unit, "inactive");
        }));
    }

    // ---- agent behaviour

    private Void startWatching() {
        GetResponse snapshot = await(client.getKVClient().get(bytes("/keel/"),
                GetOption.builder().isPrefix(true).build()));
        for (KeyValue kv : snapshot.getKvs()) {
            apply(kv, false);
        }
        long from = snapshot.getHeader().getRevision() + 1;
        watcher = client.getWatchClient().watch(bytes("/keel/"),
                WatchOption.builder().isPrefix(true).withRevision(from).build(),
                Watch.listener(response -> executor.execute(() -> {
                    for (WatchEvent event : response.getEvents()) {
                        apply(event.getKeyValue(), event.getEventType() == WatchEvent.EventType.DELETE);
                    }
                    members.values().forEach(this::reconcile);
                }), error -> { }));
        return null;
    }

    private void apply(KeyValue kv, boolean deleted) {
        String key = string(kv.getKey());
        if (key.startsWith("/keel/units/")) {
            String name = key.substring("/keel/units/".length());
            if (deleted) {
                units.remove(name);
            } else {
                units.put(name, parse(kv.getValue()));
            }
        } else if (key.startsWith("/keel/schedule/")) {
            String name = key.substring("/keel/schedule/".length());
            if (deleted) {
                schedule.remove(name);
            } else {
                schedule.put(name, parse(kv.getValue()).path("machineID").asText());
            }
        }
    }

    /** Moves every unit of {@code m} one step towards where it should be. */
    private void reconcile(Member m) {
        if (!reportStates || m.busy || !members.containsKey(m.machine.id())) {
            return;
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        units.forEach((name, unit) -> {
            boolean here = m.machine.id().equals(schedule.get(name))
                    || filter.runsGlobalUnit(name, unit.path("unitFile").asText(), m.machine);
            if (here) {
                wanted.put(name, unit.path("desiredState").asText("inactive"));
            }
        });
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (String name : new ArrayList<>(m.reported.keySet())) {
            if (!wanted.containsKey(name)) {
                writes.add(step(m, name, "inactive"));
            }
        }
        wanted.forEach((name, desired) -> {
            String hash = units.get(name).path("hash").asText();
            if (!m.reported.getOrDefault(name, "inactive").equals(desired) || !hash.equals(m.hashes.get(name))
                    && !"inactive".equals(desired)) {
                writes.add(step(m, name, desired));
            }
        });
        if (writes.isEmpty()) {
            return;
        }
        m.busy = true;
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).whenCompleteAsync((v, e) -> {
            m.busy = false;
            reconcile(m);
        }, executor);
    }

    /** One adjacent step of {@code unit} on {@code m} towards {@code desired}. */
    private CompletableFuture<?> step(Member m, String unit, String desired) {
        String from = m.reported.getOrDefault(unit, "inactive");
        int delta = Integer.signum(STATES.indexOf(desired) - STATES.indexOf(from));
        String to = delta == 0 ? from : STATES.get(STATES.indexOf(from) + delta);
        JsonNode unitRecord = units.get(unit);
        String hash = unitRecord == null ? m.hashes.getOrDefault(unit, "") : unitRecord.path("hash").asText();
        ByteSequence key = bytes("/keel/state/" + unit + "/" + m.machine.id());
        transitions.add(new Transition(m.machine.id(), unit, from, to));
        if ("inactive".equals(to)) {
            m.reported.remove(unit);
            m.hashes.remove(unit);
            return client.getKVClient().delete(key);
        }
        m.reported.put(unit, to);
        m.hashes.put(unit, hash);
        ObjectNode state = JSON.createObjectNode()
                .put("name", unit)
                .put("machineID", m.machine.id())
                .put("hash", hash)
                .put("jobState", to)
                .put("systemdLoadState", "loaded")
                .put("systemdActiveState", "launched".equals(to) ? "active" : "inactive")
                .put("systemdSubState", "launched".equals(to) ? "running" : "dead");
        return client.getKVClient().put(key, json(state), PutOption.builder().withLeaseId(m.lease).build());
    }

    private void renew(Member m) {
        client.getLeaseClient().keepAliveOnce(m.lease).whenComplete((r, e) -> { });
    }

    // ---- helpers

    private final class Member {
        final SimulatedMachine machine;
        final long lease;
        final Map<String, String> reported = new HashMap<>();
        final Map<String, String> hashes = new HashMap<>();
        ScheduledFuture<?> renewal;
        boolean busy;

        Member(SimulatedMachine machine, long lease) {
            this.machine = machine;
            this.lease = lease;
        }
    }

    private Member member(String id) {
        return Optional.ofNullable(members.get(id))
                .orElseThrow(() -> new IllegalArgumentException("no simulated machine " + id));
    }

    private static ObjectNode machineRecord(SimulatedMachine machine) {
        ObjectNode record = JSON.createObjectNode()
                .put("id", machine.id())
                .put("publicIP", machine.publicIP());
        ObjectNode metadata = record.putObject("metadata");
        machine.metadata().forEach(metadata::put);
        record.putObject("capacity").put("cpuMillis", machine.cpuMillis()).put("memoryBytes", machine.memoryBytes());
        record.put("version", "simulated");
        return record;
    }

    private <T> CompletableFuture<T> call(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("simulated cluster: no answer within 30s", e);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String string(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    private static ByteSequence json(JsonNode node) {
        try {
            return ByteSequence.from(JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(ByteSequence value) {
        try {
            return JSON.readTree(value.getBytes());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** Stops every renewal and the watch; revokes every remaining lease. */
    @Override
    public void close() {
        List<Long> leases = await(call(() -> {
            if (watcher != null) {
                watcher.close();
            }
            List<Long> held = new ArrayList<>();
            members.values().forEach(m -> {
                m.renewal.cancel(false);
                held.add(m.lease);
            });
            members.clear();
            return held;
        }));
        List<CompletableFuture<?>> revokes = new ArrayList<>();
        for (long lease : leases) {
            revokes.add(client.getLeaseClient().revoke(lease).exceptionally(e -> null));
        }
        try {
            CompletableFuture.allOf(revokes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort: leases expire on their own
        }
        executor.shutdownNow();
    }
}
