package io.keel.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.agent.runtime.docker.DockerContainers;
import io.keel.agent.runtime.docker.ManagedContainer;
import io.keel.api.Schema;
import io.keel.api.client.FleetClient;
import io.keel.cli.KeelInProcess;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitOption;
import io.keel.testkit.Await;
import io.keel.testkit.StoreProcess;
import io.keel.testkit.docker.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole loop with real processes and a real Docker Engine: four {@code keel node} machines
 * (racks a-d) on one store, web@1..3 in containers that conflict with each other plus a global
 * unit; units that cannot run; the store going away; a machine killed with SIGKILL and brought
 * back. Written once, run against a Keel store and a real etcd 3.4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AgentScenario {

    static final Duration TTL = Duration.ofSeconds(10);
    static final Duration WAIT = Duration.ofSeconds(90);
    static final List<String> WEB = List.of("web@1.service", "web@2.service", "web@3.service");
    static final String GLOBAL = "global.service";

    private final List<NodeProcess> nodes = new ArrayList<>();
    private Path workDir;
    private StoreProcess store;
    private DockerEngine docker;
    private String image;

    protected abstract StoreProcess startStore(Path workDir);

    /** A prefix for machine ids, so the two bindings of this scenario never share containers. */
    protected abstract String machinePrefix();

    @BeforeAll
    void startCluster() throws Exception {
        docker = DockerEngine.shared();
        image = docker.busyboxImage();
        workDir = Files.createTempDirectory("keel-agent-scenario-");
        store = startStore(workDir.resolve("store"));
        String[] racks = {"a", "b", "c", "d"};
        for (String rack : racks) {
            String id = machinePrefix() + rack;
            removeContainersOf(id);
            nodes.add(new NodeProcess(id, workDir, store.endpoint(), docker.dockerHost(), "rack=" + rack, TTL));
        }
        nodes.forEach(NodeProcess::start);
    }

    @AfterAll
    void stopCluster() {
        nodes.forEach(NodeProcess::close);
        if (store != null) {
            store.close();
        }
        nodes.forEach(n -> removeContainersOf(n.machineId()));
    }

    private void removeContainersOf(String machineId) {
        try (DockerContainers containers = DockerContainers.connect(docker.dockerHost(), machineId)) {
            containers.list().forEach(c -> containers.remove(c.id()));
        }
    }

    private FleetClient fleet() {
        return nodes.stream().filter(NodeProcess::isAlive).findFirst().orElseThrow().fleet();
    }

    private static List<UnitOption> options(String text) {
        return UnitFile.parse(text).options();
    }

    private String webTemplate() {
        return """
                [Unit]
                Description=Web server %i

                [Service]
                Restart=always
                RestartSec=1
                TimeoutStopSec=5

                [Container]
                Image=%s
                Exec=/bin/sh -c "trap 'exit 0' TERM; echo web %i up; while true; do echo tick; sleep 1; done"
                Network=none
                Environment=ROLE=web

                [X-Fleet]
                Conflicts=web@*.service
                """.replace("Image=%s", "Image=" + image);
    }

    private String globalUnit() {
        return """
                [Unit]
                Description=Runs on every machine

                [Service]
                TimeoutStopSec=5

                [Container]
                Image=%s
                Exec=/bin/sh -c "trap 'exit 0' TERM; echo global up; while true; do sleep 1; done"
                Network=none

                [X-Fleet]
                Global=true
                """.formatted(image);
    }

    /** Running containers of every machine, by unit name, each entry one container's machine id. */
    private Map<String, List<String>> runningContainers() {
        Map<String, List<String>> byUnit = new HashMap<>();
        for (NodeProcess node : nodes) {
            try (DockerContainers containers = DockerContainers.connect(docker.dockerHost(), node.machineId())) {
                for (ManagedContainer c : containers.list()) {
                    if (c.running()) {
                        byUnit.computeIfAbsent(c.unit(), u -> new ArrayList<>()).add(c.machineId());
                    }
                }
            }
        }
        return byUnit;
    }

    private List<Schema.UnitState> states(String unit) {
        return UnitStates.of(fleet(), unit);
    }

    private Optional<String> runningOn(String unit) {
        return UnitStates.runningOn(fleet(), unit);
    }

    private boolean everyWebRunsOnceOnItsOwnMachine() {
        Set<String> machines = new HashSet<>();
        for (String unit : WEB) {
            Optional<String> on = runningOn(unit);
            if (on.isEmpty() || !machines.add(on.get())) {
                return false;
            }
        }
        Map<String, List<String>> containers = runningContainers();
        return WEB.stream().allMatch(u -> containers.getOrDefault(u, List.of()).size() == 1
                && containers.get(u).get(0).equals(runningOn(u).orElse("")));
    }

    private boolean globalRunsOn(Set<String> machineIds) {
        Set<String> active = states(GLOBAL).stream()
                .filter(s -> "active".equals(s.systemdActiveState()))
                .map(Schema.UnitState::machineID).collect(Collectors.toSet());
        List<String> containers = runningContainers().getOrDefault(GLOBAL, List.of());
        return active.equals(machineIds) && containers.size() == machineIds.size()
                && Set.copyOf(containers).equals(machineIds);
    }

    private Set<String> liveMachines() {
        return nodes.stream().filter(NodeProcess::isAlive).map(NodeProcess::machineId).collect(Collectors.toSet());
    }

    private void await(String what, java.util.function.BooleanSupplier condition) {
        Await.until(WAIT, what + " (node logs under " + workDir + ")", condition);
    }

    @Test
    @Order(1)
    void eachWebInstanceRunsInAContainerOnItsOwnMachineAndTheGlobalUnitOnAll() {
        FleetClient fleet = fleet();
        for (String unit : WEB) {
            fleet.createUnit(unit, options(webTemplate()), "launched");
        }
        fleet.createUnit(GLOBAL, options(globalUnit()), "launched");
        await("web@1..3 run on three different machines", this::everyWebRunsOnceOnItsOwnMachine);
        await("the global unit runs on all four machines", () -> globalRunsOn(liveMachines()));
        KeelInProcess.Result listed = KeelInProcess.run("list-units", "--endpoint", fleet.endpoint(), "--no-legend");
        assertThat(listed.stdout().lines().filter(l -> l.startsWith("web@")).toList())
                .hasSize(3).allSatisfy(l -> assertThat(l).contains("active", "running"));
    }

    @Test
    @Order(2)
    void statusAndJournalAreServedFromTheMachineRunningTheUnit() {
        String unit = "web@2.service";
        String machine = runningOn(unit).orElseThrow();
        NodeProcess other = nodes.stream().filter(n -> !n.machineId().equals(machine)).findFirst().orElseThrow();

        KeelInProcess.Result status = KeelInProcess.run("status", "--endpoint", other.api(), unit);
        assertThat(status.exit()).as(status.stderr()).isZero();
        assertThat(status.stdout()).contains("web@2.service - Web server 2", "Active: active (running)",
                "Container: ", "Machine: " + machine.substring(0, Math.min(8, machine.length())), "web 2 up");

        KeelInProcess.Result journal = KeelInProcess.run("journal", "--endpoint", other.api(), "--lines", "3", unit);
        assertThat(journal.exit()).as(journal.stderr()).isZero();
        assertThat(journal.stdout().lines().toList()).hasSize(3).allSatisfy(l -> assertThat(l).contains(unit));

        List<String> followed = new CopyOnWriteArrayList<>();
        try {
            other.fleet().followJournal(unit, 0, line -> {
                followed.add(line);
                if (followed.stream().filter(l -> l.endsWith("tick")).count() >= 2) {
                    throw new IllegalStateException("enough");
                }
            });
        } catch (IllegalStateException e) {
            assertThat(e).hasMessage("enough");
        }
        assertThat(followed.stream().filter(l -> l.endsWith("tick"))).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(3)
    void unitsThatCannotRunAreReportedFailedWithTheirReasonAndTheOthersRunOn() {
        FleetClient fleet = fleet();
        fleet.createUnit("noimage.service", options("""
                [Container]
                Image=keel-test/does-not-exist:1
                Network=none
                """), "launched");
        fleet.createUnit("crashloop.service", options("""
                [Unit]
                StartLimitIntervalSec=60
                StartLimitBurst=3

                [Service]
                ExecStart=/bin/sh -c "echo dying; exit 3"
                Restart=always
                RestartSec=100ms
                """), "launched");
        fleet.createUnit("quits.service", options("""
                [Container]
                Image=%s
                Exec=/bin/false
                Network=none
                """.formatted(image)), "launched");
        for (String unit : List.of("noimage.service", "crashloop.service", "quits.service")) {
            await(unit + " is reported failed", () -> states(unit).stream()
                    .anyMatch(s -> "failed".equals(s.systemdActiveState())));
        }
        String noImage = fleet.status("noimage.service");
        assertThat(noImage).contains("failed", "keel-test/does-not-exist:1");
        String crash = fleet.status("crashloop.service");
        assertThat(crash).contains("failed", "start-limit-hit", "dying");
        assertThat(fleet.journal("crashloop.service", 200).lines().filter(l -> l.endsWith("dying")))
                .as("three starts allowed, then no more").hasSize(3);
        assertThat(fleet.status("quits.service")).contains("failed", "status=1");
        assertThat(everyWebRunsOnceOnItsOwnMachine()).isTrue();

        for (String unit : List.of("noimage.service", "crashloop.service", "quits.service")) {
            fleet.destroy(unit);
        }
        await("the failed units' states are gone", () -> fleet.states().stream()
                .noneMatch(s -> s.name().equals("quits.service") || s.name().equals("crashloop.service")));
    }

    @Test
    @Order(4)
    void unitsKeepRunningWhenTheStoreBlinks() {
        Map<String, String> before = new HashMap<>();
        WEB.forEach(u -> before.put(u, runningOn(u).orElseThrow()));
        Map<String, List<String>> containersBefore = containerIds();
        signal(store, "STOP");
        try {
            await("a node finds its store session suspended", () -> nodes.stream()
                    .anyMatch(n -> "suspended".equals(presence(n))));
            assertThat(containerIds()).isEqualTo(containersBefore);
        } finally {
            signal(store, "CONT");
        }
        await("every node is registered again", () -> nodes.stream().allMatch(n -> "registered".equals(presence(n))));
        await("every web instance runs once, where it ran", this::everyWebRunsOnceOnItsOwnMachine);
        WEB.forEach(u -> assertThat(runningOn(u)).as(u).contains(before.get(u)));
        assertThat(containerIds()).as("the same containers: none was stopped or restarted").isEqualTo(containersBefore);
    }

    private static String presence(NodeProcess node) {
        try {
            return node.fleet().node().presence();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static void signal(StoreProcess process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).as("kill -" + signal).isZero();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Running container ids of every machine, by unit name (sorted). */
    private Map<String, List<String>> containerIds() {
        Map<String, List<String>> byUnit = new java.util.TreeMap<>();
        for (NodeProcess node : nodes) {
            try (DockerContainers containers = DockerContainers.connect(docker.dockerHost(), node.machineId())) {
                containers.list().stream().filter(ManagedContainer::running)
                        .forEach(c -> byUnit.computeIfAbsent(c.unit(), u -> new ArrayList<>()).add(c.id()));
            }
        }
        byUnit.values().forEach(java.util.Collections::sort);
        return byUnit;
    }

    @Test
    @Order(5)
    void aKilledMachinesInstanceMovesToTheFreeMachineAndNothingRunsTwiceWhenItReturns() {
        String victimId = runningOn("web@1.service").orElseThrow();
        NodeProcess victim = nodes.stream().filter(n -> n.machineId().equals(victimId)).findFirst().orElseThrow();
        Set<String> webMachines = WEB.stream().map(u -> runningOn(u).orElseThrow()).collect(Collectors.toSet());
        String free = nodes.stream().map(NodeProcess::machineId).filter(id -> !webMachines.contains(id))
                .findFirst().orElseThrow();

        long killed = System.nanoTime();
        victim.kill9();
        await("web@1 runs on the free machine " + free, () -> runningOn("web@1.service").equals(Optional.of(free)));
        long moved = System.nanoTime();
        System.out.printf("failover: web@1 running on %s %d ms after SIGKILL of %s (TTL %s)%n", free,
                (moved - killed) / 1_000_000, victimId, TTL);
        await("the global unit stays on the three survivors", () -> states(GLOBAL).stream()
                .filter(s -> "active".equals(s.systemdActiveState()))
                .map(Schema.UnitState::machineID).collect(Collectors.toSet()).equals(liveMachines()));
        assertThat(runningContainers().get("web@1.service"))
                .as("on one host the killed node's container outlives it").contains(victimId, free);

        victim.start();
        await("the machine rejoins", () -> fleet().machines().stream().anyMatch(m -> m.id().equals(victimId)));
        await("each web instance runs exactly once", this::everyWebRunsOnceOnItsOwnMachine);
        await("the global unit runs once on every machine", () -> globalRunsOn(liveMachines()));
        assertThat(runningContainers().get("web@1.service")).containsExactly(free);
    }

    @Test
    @Order(6)
    void everyNodeServesFleetLockOnItsApi() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> post = (path, id) -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(nodes.get(1).api() + path))
                        .header("fleet-lock-protocol", "true")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"client_params\":{\"id\":\"" + id + "\",\"group\":\"default\"}}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        assertThat(post.apply("/v1/pre-reboot", "zincati-1").statusCode()).isEqualTo(200);
        java.net.http.HttpResponse<String> full = post.apply("/v1/pre-reboot", "zincati-2");
        assertThat(full.statusCode()).isEqualTo(409);
        assertThat(full.body()).contains("\"kind\"", "failed_lock", "zincati-1");
        assertThat(post.apply("/v1/steady-state", "zincati-1").statusCode()).isEqualTo(200);
        assertThat(post.apply("/v1/pre-reboot", "zincati-2").statusCode()).isEqualTo(200);
        assertThat(post.apply("/v1/steady-state", "zincati-2").statusCode()).isEqualTo(200);
    }
}
