package io.keel.cli.cluster;

import io.etcd.jetcd.Client;
import io.keel.api.ApiServer;
import io.keel.api.Schema;
import io.keel.cluster.engine.Engine;
import io.keel.cluster.engine.EngineConfig;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.ScheduleRecord;
import io.keel.cluster.registry.UnitRecord;
import io.keel.cluster.registry.Versioned;
import io.keel.cluster.schedule.Job;
import io.keel.cluster.schedule.Machine;
import io.keel.cluster.schedule.Resources;
import io.keel.cluster.schedule.Scheduler;
import io.keel.cluster.unit.JobState;
import io.keel.cluster.unit.Requirements;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitName;
import io.keel.testkit.StoreProcess;
import io.keel.testkit.cluster.SimulatedCluster;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every cluster contract needs from its binding: a running store (Keel or etcd), a client and
 * a registry on it, and helpers that start engines and simulated machines which are closed after
 * the test.
 */
public interface ClusterFixture {

    /** Short TTLs so machine loss and failover happen within a test. */
    Duration TTL = Duration.ofSeconds(2);
    EngineConfig ENGINE = new EngineConfig(TTL, Duration.ofMillis(500), EngineConfig.MAX_TXN_OPS_DEFAULT);

    /** Global units run where their requirements allow, as a real agent decides. */
    SimulatedCluster.UnitFilter GLOBAL_BY_REQUIREMENTS = (name, text, machine) -> {
        UnitName unit = UnitName.parse(name);
        Requirements requirements = Requirements.of(unit, UnitFile.parse(text));
        if (!requirements.global()) {
            return false;
        }
        Machine m = new Machine(machine.id(), machine.metadata(), new Resources(machine.cpuMillis(), machine.memoryBytes()));
        return !new Scheduler().eligibleMachines(new Job(unit, requirements, JobState.LAUNCHED), List.of(m)).isEmpty();
    };

    StoreProcess store();

    Client client();

    Registry registry();

    Path workDir();

    /** Closes {@code resource} after the current test (in reverse order of registration). */
    <T extends AutoCloseable> T closeAfter(T resource);

    default Engine startEngine(String id) {
        return startEngine(id, ENGINE);
    }

    default Engine startEngine(String id, EngineConfig config) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "engine-" + id);
            t.setDaemon(true);
            return t;
        });
        closeAfter(executor::shutdownNow);
        Engine engine = new Engine(registry(), id, config, executor, Clock.systemUTC());
        closeAfter(engine);
        engine.start();
        return engine;
    }

    /** An API server on a free loopback port, on this fixture's registry. */
    default ApiServer startApi() {
        try {
            return closeAfter(ApiServer.start(new InetSocketAddress("127.0.0.1", 0), registry(),
                    () -> new Schema.NodeStatus("test", "registered", "candidate", null, registry().store(), "test"),
                    "test"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    default SimulatedCluster simulated() {
        return closeAfter(SimulatedCluster.create(client(), TTL, true, GLOBAL_BY_REQUIREMENTS));
    }

    /** Submits a unit as the API does. */
    default void submit(String name, String text, String desiredState) {
        UnitFile file = UnitFile.parse(text);
        Registry.await(registry().createUnit(new UnitRecord(name, file.text(), file.hash(), desiredState)));
    }

    default void setDesiredState(String name, String desiredState) {
        Registry.await(registry().updateUnit(name, u -> u.withDesiredState(desiredState)));
    }

    /** Unit name to machine id, as scheduled now. */
    default Map<String, String> placements() {
        Map<String, String> placements = new TreeMap<>();
        Registry.await(registry().rangeAll(Keys.SCHEDULE, 0)).kvs().forEach(kv -> placements.put(
                Keys.string(kv.getKey()).substring(Keys.SCHEDULE.length()),
                io.keel.cluster.registry.Codec.decode("", kv.getValue(), ScheduleRecord.class).machineID()));
        return placements;
    }

    /** Unit name to the engine's reason it cannot be placed. */
    default Map<String, String> unschedulable() {
        Map<String, String> reasons = new TreeMap<>();
        Registry.await(registry().rangeAll(Keys.UNSCHEDULABLE, 0)).kvs().forEach(kv -> reasons.put(
                Keys.string(kv.getKey()).substring(Keys.UNSCHEDULABLE.length()), Keys.string(kv.getValue())));
        return reasons;
    }

    default long revision() {
        return Registry.await(registry().range(Keys.bytes("/"), Keys.bytes("/"), 1, 0)).revision();
    }

    default Versioned<UnitRecord> unit(String name) {
        return Registry.await(registry().unit(name)).orElseThrow();
    }
}
