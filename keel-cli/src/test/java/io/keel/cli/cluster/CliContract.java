package io.keel.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.api.ApiServer;
import io.keel.cli.KeelInProcess;
import io.keel.api.client.FleetClient;
import io.keel.cluster.registry.Registry;
import io.keel.testkit.Await;
import io.keel.testkit.FreePorts;
import io.keel.testkit.cluster.SimulatedCluster;
import io.keel.testkit.cluster.SimulatedMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code keel} fleetctl verbs and {@code keel node}, each run as a real process against an
 * API (and, for {@code keel node}, a node process) on the store under test.
 */
public interface CliContract extends ClusterFixture {

    private Path dir(String name) {
        try {
            return Files.createTempDirectory(workDir(), name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a verb in this JVM against {@code api}, with paths resolved in {@code dir}; the output is
     * the same a process prints (some tests below run real processes to check that).
     */
    private static CliProcess.Result keel(ApiServer api, Path dir, String... args) {
        String[] withEndpoint = new String[args.length + 1];
        withEndpoint[0] = args[0];
        withEndpoint[1] = "--endpoint=" + api.url();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            withEndpoint[i + 1] = a.endsWith(".service") && !a.startsWith("-") ? dir.resolve(a).toString() : a;
        }
        KeelInProcess.Result r = KeelInProcess.run(withEndpoint);
        return new CliProcess.Result(r.exit(), r.stdout(), r.stderr());
    }

    private static CliProcess.Result keelProcess(ApiServer api, Path dir, String... args) {
        return CliProcess.run(Map.of("KEEL_ENDPOINT", api.url()), dir, args);
    }

    private static void assertOneLineError(CliProcess.Result result, String messagePart) {
        assertThat(result.exit()).as(result.toString()).isNotZero();
        assertThat(result.stderr().lines().filter(l -> !l.startsWith("WARNING")).toList())
                .as(result.toString()).hasSize(1)
                .first().asString().startsWith("keel: ").contains(messagePart);
    }

    @Test
    default void unitsAreStartedListedStoppedAndDestroyedWithFleetctlVerbs() throws Exception {
        ApiServer api = startApi();
        SimulatedCluster machines = simulated();
        machines.add(new SimulatedMachine("m1aaaaaaaa", "10.0.0.1", Map.of("rack", "r1"), 2000, 4L << 30));
        startEngine("e1");
        Path dir = dir("start");
        write(dir, "hello.service", "[Unit]\nDescription=Hello\n\n[Service]\nExecStart=/bin/sleep 1000\n");

        CliProcess.Result started = keelProcess(api, dir, "start", "hello.service");
        assertThat(started.exit()).as(started.toString()).isZero();
        assertThat(started.stdout()).isEqualTo("Unit hello.service launched on m1aaaaaa.../10.0.0.1\n");

        assertThat(keel(api, dir, "list-units").stdout()).isEqualTo(
                "UNIT\t\tMACHINE\t\t\tACTIVE\tSUB\n"
                        + "hello.service\tm1aaaaaa.../10.0.0.1\tactive\trunning\n");
        assertThat(keel(api, dir, "list-machines", "--fields", "machine,ip,metadata,capacity").stdout()).isEqualTo(
                "MACHINE\t\tIP\t\tMETADATA\tCAPACITY\n"
                        + "m1aaaaaa...\t10.0.0.1\track=r1\t\tcpu=2,memory=4G\n");
        assertThat(keel(api, dir, "list-unit-files", "--no-legend", "--fields", "unit,dstate,state,target,desc")
                .stdout()).isEqualTo("hello.service\tlaunched\tlaunched\tm1aaaaaa.../10.0.0.1\tHello\n");
        JsonNode json = new ObjectMapper().readTree(keel(api, dir, "list-unit-files", "-o", "json").stdout());
        assertThat(json.get(0).get("name").asText()).isEqualTo("hello.service");
        assertThat(json.get(0).get("machineID").asText()).isEqualTo("m1aaaaaaaa");
        assertThat(keel(api, dir, "cat", "hello").stdout())
                .isEqualTo("[Unit]\nDescription=Hello\n\n[Service]\nExecStart=/bin/sleep 1000\n");

        CliProcess.Result stopped = keel(api, dir, "stop", "hello.service");
        assertThat(stopped.stdout()).isEqualTo("Unit hello.service loaded on m1aaaaaa.../10.0.0.1\n");
        CliProcess.Result unloaded = keel(api, dir, "unload", "hello.service");
        assertThat(unloaded.stdout()).isEqualTo("Unit hello.service inactive\n");
        CliProcess.Result destroyed = keel(api, dir, "destroy", "hello.service");
        assertThat(destroyed.stdout()).isEqualTo("Destroyed hello.service\n");
        assertThat(new FleetClient(api.url(), Duration.ofSeconds(5)).units()).isEmpty();
    }

    @Test
    default void templatesReplaceAndListUnitFilesShowsWhyAUnitWaits() {
        ApiServer api = startApi();
        simulated().add(SimulatedMachine.of("m1", Map.of("role", "web")));
        startEngine("e1");
        Path dir = dir("templates");
        write(dir, "web@.service", "[Service]\nExecStart=/bin/sleep %i\n\n[X-Fleet]\nConflicts=web@*.service\n");
        write(dir, "db.service", "[Service]\nExecStart=/bin/true\n\n[X-Fleet]\nMachineMetadata=role=db\n");

        CliProcess.Result web = keel(api, dir, "start", "--no-block", "web@1.service", "web@2.service", "db.service");
        assertThat(web.exit()).as(web.toString()).isZero();
        assertThat(web.lines()).containsExactly("Triggered unit web@1.service start", "Triggered unit web@2.service start",
                "Triggered unit db.service start");

        Await.until(EngineContract.WAIT, "one web instance placed, the other waiting", () ->
                placements().size() == 1 && unschedulable().size() == 2);
        CliProcess.Result files = keel(api, dir, "list-unit-files", "--fields", "unit,target,reason");
        assertThat(files.stdout()).contains("db.service\t-\t\tno machine matches MachineMetadata role=db")
                .containsPattern("web@[12]\\.service\t-\t\t.*Conflicts");

        write(dir, "db.service", "[Service]\nExecStart=/bin/false\n\n[X-Fleet]\nMachineMetadata=role=web\n");
        CliProcess.Result same = keel(api, dir, "submit", "db.service");
        assertThat(same.stderr()).contains("WARNING: Unit db.service in registry differs from local unit file");
        CliProcess.Result replaced = keel(api, dir, "start", "--replace", "--no-block", "db.service");
        assertThat(replaced.exit()).as(replaced.toString()).isZero();
        Await.until(EngineContract.WAIT, "the new db.service placed on m1", () ->
                "m1".equals(placements().get("db.service")));
    }

    @Test
    default void badInputIsOneLineOnStderrANonZeroExitAndChangesNothing() {
        ApiServer api = startApi();
        Path dir = dir("errors");
        write(dir, "bad.service", "[Service]\nExecStart=/bin/true\n\n[X-Fleet]\nMachineFoo=1\n");
        write(dir, "both.service", "[Service]\nExecStart=/bin/true\n\n[X-Fleet]\nGlobal=true\nMachineOf=a.service\n");
        write(dir, "junk.service", "no section here\n");
        write(dir, "web@.service", "[Service]\nExecStart=/bin/true\n");

        assertOneLineError(keelProcess(api, dir, "submit", "bad.service"), "MachineFoo");
        assertOneLineError(keel(api, dir, "submit", "both.service"), "MachineOf");
        assertOneLineError(keel(api, dir, "submit", "junk.service"), "line 1");
        assertOneLineError(keel(api, dir, "start", "web@.service"), "is a template");
        assertOneLineError(keel(api, dir, "start", "missing.service"), "unable to find unit missing.service");
        assertOneLineError(keel(api, dir, "stop", "missing.service"), "unit missing.service does not exist");
        assertOneLineError(keel(api, dir, "destroy", "missing.service"), "unit missing.service does not exist");
        assertOneLineError(keel(api, dir, "cat", "missing.service"), "unit missing.service does not exist");
        assertOneLineError(keel(api, dir, "list-units", "--fields", "unit,color"), "Invalid key in output format: \"color\"");
        assertOneLineError(keel(api, dir, "list-machines", "-o", "yaml"), "-o must be table or json");
        assertThat(new FleetClient(api.url(), Duration.ofSeconds(5)).units()).isEmpty();

        assertThat(keel(api, dir, "submit", "web@.service").exit()).isZero();
        assertOneLineError(keel(api, dir, "status", "web@.service"), "Unit web@.service does not appear to be running.");
        assertOneLineError(keel(api, dir, "journal", "--lines", "5", "web@.service"), "Unit web@.service does not appear to be running.");

        int dead = FreePorts.next();
        KeelInProcess.Result inProcess = KeelInProcess.run("list-machines", "--endpoint", "http://127.0.0.1:" + dead);
        CliProcess.Result unreachable = new CliProcess.Result(inProcess.exit(), inProcess.stdout(), inProcess.stderr());
        assertOneLineError(unreachable, "cannot reach the Keel API at http://127.0.0.1:" + dead);
        CliProcess.Result fromEnv = CliProcess.run(Map.of("KEEL_ENDPOINT", "http://127.0.0.1:" + dead), dir,
                "list-units");
        assertOneLineError(fromEnv, "http://127.0.0.1:" + dead);
    }

    @Test
    default void keelNodeRegistersServesAndKeepsItsMachineId() throws Exception {
        Path dataDir = dir("node");
        int apiPort = FreePorts.next();
        String[] args = {"node", "--endpoints", store().endpoint().replace("http://", ""), "--data-dir",
                dataDir.toString(), "--api-listen", "127.0.0.1:" + apiPort, "--agent-ttl", "2s",
                "--metadata", "rack=r9", "--capacity", "cpu=1.5,memory=512M", "--public-ip", "127.0.0.1"};
        String endpoint = "http://127.0.0.1:" + apiPort;
        FleetClient fleet = new FleetClient(endpoint, Duration.ofSeconds(5));

        String firstId = runNode(dataDir, args, fleet);
        assertThat(Files.readString(dataDir.resolve("machine-id")).trim()).isEqualTo(firstId);
        assertThat(Registry.await(registry().machines())).isEmpty();

        String secondId = runNode(dataDir, args, fleet);
        assertThat(secondId).isEqualTo(firstId);

        CliProcess.Result noStore = CliProcess.run(Map.of(), dataDir, "node", "--endpoints",
                "127.0.0.1:" + FreePorts.next(), "--data-dir", dataDir.toString(), "--api-listen", "127.0.0.1:0");
        assertOneLineError(noStore, "unreachable");
    }

    /** Starts {@code keel node}, checks it is listed with its metadata and leads, stops it; its machine id. */
    private String runNode(Path dir, String[] args, FleetClient fleet) throws Exception {
        Process node = CliProcess.start(Map.of(), dir, args);
        try {
            Await.until(EngineContract.WAIT, "the node registers and its engine leads", () -> {
                try {
                    return fleet.machines().size() == 1 && "leader".equals(fleet.node().engine());
                } catch (RuntimeException e) {
                    return false;
                }
            });
            var machine = fleet.machines().get(0);
            assertThat(machine.metadata()).isEqualTo(Map.of("rack", "r9"));
            assertThat(machine.capacity().cpuMillis()).isEqualTo(1500);
            assertThat(machine.capacity().memoryBytes()).isEqualTo(512L << 20);
            assertThat(machine.primaryIP()).isEqualTo("127.0.0.1");
            KeelInProcess.Result listed = KeelInProcess.run("list-machines", "--endpoint", fleet.endpoint(),
                    "--no-legend", "-l");
            assertThat(listed.stdout()).isEqualTo(machine.id() + "\t127.0.0.1\track=r9\n");
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(fleet.endpoint() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("keel_engine_leader 1.0", "keel_node_registered 1.0",
                    "keel_engine_reconciles_total");
            return machine.id();
        } finally {
            node.destroy();
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
