package io.keel.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.Schema;
import io.keel.cli.KeelInProcess;
import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.Installed;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.docker.DockerEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue #7 end to end, with real processes and a real Docker Engine: a {@code keel store} and three
 * machines provisioned from cloud-config files, the first of which starts a web unit. The unit runs in
 * a container that renders its config from {@code /apps/web/}; a changed key is rendered and reloaded
 * (SIGHUP through {@code ReloadCmd=}) on the machine running it and nowhere else; killing that machine
 * brings the unit up elsewhere with the same rendered configuration; its root filesystem is read-only
 * until the store's cluster-wide policy makes it mutable.
 *
 * <p>The three machines share this host's filesystem; the unit's paths use {@code %m} (the machine id)
 * so that each machine renders into a directory of its own, as on separate hosts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfiguredWebScenarioTest {

    private static final Duration TTL = Duration.ofSeconds(4);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String UNIT = "web.service";
    private static final List<String> RACKS = List.of("a", "b", "c");

    private final List<NodeProcess> nodes = new ArrayList<>();
    private DockerEngine docker;
    private Path workDir;
    private Path renderedRoot;
    private KeelStoreProcess store;
    private Etcdctl etcdctl;

    @BeforeAll
    void provisionThreeMachines() throws IOException {
        docker = DockerEngine.shared();
        workDir = Files.createTempDirectory("keel-configured-web-");
        Path template = Files.writeString(workDir.resolve("web.conf.mustache"),
                "greeting={{apps.web.greeting}} port={{apps.web.port}}\n");
        renderedRoot = workDir.resolve("etc-web");
        store = KeelStoreProcess.start(workDir.resolve("store"), System.getProperty("java.class.path"));
        etcdctl = new Etcdctl(store.endpoint());
        put("/apps/web/greeting", "hello");
        put("/apps/web/port", "8080");
        for (String rack : RACKS) {
            String id = "cfgweb-" + rack;
            docker.removeContainers("io.keel.machine", id);
            String sections = rack.equals("a") ? unitsSection(template) : "";
            nodes.add(NodeProcess.fromMachineFile(id, workDir, store.endpoint(), docker.dockerHost(),
                    "rack=" + rack + ",role=web", TTL, sections));
        }
        nodes.forEach(NodeProcess::start);
    }

    /** The web unit, started by the first machine file's {@code units:} section. */
    private String unitsSection(Path template) {
        String unit = """
                [Unit]
                Description=Web server configured from the store

                [Service]
                TimeoutStopSec=5

                [Container]
                Image=%s
                Network=none
                Volume=%s:/etc/web:ro
                Exec=/bin/sh -c "trap 'exit 0' TERM; trap 'echo web reloaded: $(cat /etc/web/web.conf)' HUP; \
                echo web started: $(cat /etc/web/web.conf); \
                if touch /probe 2>/dev/null; then echo rootfs-writable; else echo rootfs-read-only; fi; \
                while true; do sleep 3600 & wait $!; done"

                [Template]
                Source=%s
                Destination=%s
                Keys=/apps/web/
                ReloadCmd=/bin/sh -c "exec %s kill -s HUP $MAINPID"
                """.formatted(docker.busyboxImage(), renderedRoot + "/%m", template, renderedRoot + "/%m/web.conf",
                Installed.require("docker"));
        return "units:\n  - name: " + UNIT + "\n    command: start\n    content: |\n"
                + unit.lines().map(l -> "      " + l + "\n").reduce("", String::concat);
    }

    /** Where {@code node} renders the unit's config: its own directory, by {@code %m}. */
    private Path rendered(NodeProcess node) {
        return renderedRoot.resolve(node.machineId()).resolve("web.conf");
    }

    @AfterAll
    void stopCluster() {
        nodes.forEach(NodeProcess::close);
        if (store != null) {
            store.close();
        }
        nodes.forEach(n -> docker.removeContainers("io.keel.machine", n.machineId()));
    }

    @Test
    @Order(1)
    void theUnitRendersItsConfigBeforeItStartsAndCannotWriteItsRootFilesystem() throws IOException {
        await("the three machines are registered", () -> anyNode().fleet().machines().size() == 3);
        assertThat(anyNode().fleet().machines()).extracting(Schema.Machine::id)
                .containsExactlyInAnyOrder("cfgweb-a", "cfgweb-b", "cfgweb-c");
        assertThat(anyNode().fleet().machines()).allSatisfy(m -> assertThat(m.metadata()).containsEntry("role", "web")
                .containsEntry("rack", m.id().substring("cfgweb-".length())));
        NodeProcess running = awaitRunning();

        awaitJournal(running, "web started: greeting=hello port=8080");
        assertThat(Files.readString(rendered(running))).isEqualTo("greeting=hello port=8080\n");
        for (NodeProcess other : others(running)) {
            assertThat(rendered(other)).as("nothing rendered on " + other.machineId()).doesNotExist();
        }
        assertThat(journal(running)).contains("rootfs-read-only").doesNotContain("rootfs-writable");
        assertThat(keel("journal", "--lines", "50", UNIT)).contains("web started: greeting=hello port=8080");
        assertThat(keel("status", UNIT)).contains("Root FS: read-only (containers are immutable by default)");
    }

    @Test
    @Order(2)
    void aChangedKeyIsRenderedAndReloadedOnTheMachineRunningTheUnitOnly() throws IOException {
        NodeProcess running = runningNode();
        String container = webContainers().get(0);
        assertThat(journal(running)).doesNotContain("web reloaded");

        put("/apps/web/greeting", "bonjour");
        long put = System.nanoTime();
        await("the new config is rendered", () -> read(rendered(running)).equals("greeting=bonjour port=8080\n"));
        long renderedAt = System.nanoTime();
        awaitJournal(running, "web reloaded: greeting=bonjour port=8080");
        long reloadedAt = System.nanoTime();
        System.out.printf("template reload on %s: put acknowledged -> file rendered %d ms -> reload line in the journal"
                + " %d ms (polled every <= 200 ms; the watcher waits for 500 ms without changes)%n",
                running.machineId(), (renderedAt - put) / 1_000_000, (reloadedAt - put) / 1_000_000);

        String journal = journal(running);
        assertThat(journal.lines().filter(l -> l.contains("configuration changed (" + rendered(running) + "); reloading")))
                .hasSize(1);
        assertThat(journal.lines().filter(l -> l.contains("web reloaded:"))).hasSize(1);
        assertThat(journal.lines().filter(l -> l.contains("web started:"))).as("reloaded, not restarted").hasSize(1);
        assertThat(webContainers()).as("the same container, and only one").containsExactly(container);
        for (NodeProcess other : others(running)) {
            assertThat(journal(other)).as("journal of " + other.machineId()).doesNotContain("configuration changed",
                    "web reloaded", "web started");
        }
        assertThat(keel("journal", "--lines", "50", UNIT)).contains("web reloaded: greeting=bonjour port=8080");
    }

    @Test
    @Order(3)
    void aKilledMachinesUnitComesUpElsewhereWithTheSameRenderedConfig() throws IOException {
        NodeProcess victim = runningNode();
        for (NodeProcess other : others(victim)) {
            assertThat(rendered(other)).as("nothing rendered on " + other.machineId() + " yet").doesNotExist();
        }
        long killed = System.nanoTime();
        victim.kill9();
        // The machine is gone with its container (all machines share this host's engine).
        docker.removeContainers("io.keel.machine", victim.machineId());

        NodeProcess survivor = awaitRunningElsewhere(victim);
        awaitJournal(survivor, "web started: greeting=bonjour port=8080");
        System.out.printf("failover: %s running on %s %d ms after SIGKILL of %s (agent TTL %s)%n", UNIT,
                survivor.machineId(), (System.nanoTime() - killed) / 1_000_000, victim.machineId(), TTL);
        assertThat(Files.readString(rendered(survivor))).isEqualTo("greeting=bonjour port=8080\n");
        assertThat(journal(survivor)).contains("rootfs-read-only").doesNotContain("web reloaded");
        assertThat(webContainers()).hasSize(1);
        assertThat(keel("journal", "--lines", "50", UNIT)).contains("web started: greeting=bonjour port=8080");
    }

    @Test
    @Order(4)
    void theRootFilesystemBecomesWritableWhenTheClusterPolicySaysMutable() {
        NodeProcess running = runningNode();
        put("/keel/policy/rootfs", "mutable");
        keel("stop", UNIT);
        await("the unit stopped", () -> states().stream().anyMatch(s -> "inactive".equals(s.systemdActiveState())));
        keel("start", UNIT);
        NodeProcess restarted = awaitRunning();
        assertThat(restarted.machineId()).isEqualTo(running.machineId());
        awaitJournal(restarted, "rootfs-writable");
        assertThat(journal(restarted).lines().filter(l -> l.contains("web started: greeting=bonjour port=8080")))
                .hasSize(2);
        assertThat(keel("status", UNIT)).contains("Root FS: writable (/keel/policy/rootfs = mutable)");
    }

    private void put(String key, String value) {
        Etcdctl.Result result = etcdctl.run("put", key, value);
        assertThat(result.ok()).as("etcdctl put %s: %s", key, result.stderr()).isTrue();
    }

    private NodeProcess anyNode() {
        return nodes.stream().filter(NodeProcess::isAlive).findFirst().orElseThrow();
    }

    private List<NodeProcess> others(NodeProcess node) {
        return nodes.stream().filter(n -> n != node).toList();
    }

    /** Runs {@code keel VERB --endpoint <a live node> ARGS...}, asserts it succeeded, returns its stdout. */
    private String keel(String verb, String... args) {
        List<String> command = new ArrayList<>(List.of(verb, "--endpoint", anyNode().api()));
        command.addAll(List.of(args));
        KeelInProcess.Result result = KeelInProcess.run(command.toArray(String[]::new));
        assertThat(result.exit()).as("keel %s: %s", command, result.stderr()).isZero();
        return result.stdout();
    }

    private List<Schema.UnitState> states() {
        return UnitStates.of(anyNode().fleet(), UNIT);
    }

    private Optional<NodeProcess> runningOn() {
        return UnitStates.runningOn(anyNode().fleet(), UNIT)
                .flatMap(id -> nodes.stream().filter(n -> n.machineId().equals(id)).findFirst());
    }

    private NodeProcess runningNode() {
        return runningOn().orElseThrow(() -> new AssertionError(UNIT + " is not running on one machine"));
    }

    private NodeProcess awaitRunning() {
        return awaitRunningElsewhere(null);
    }

    /** Waits until the unit runs on one live machine other than {@code not}, in one container; returns it. */
    private NodeProcess awaitRunningElsewhere(NodeProcess not) {
        await(UNIT + " runs on one machine" + (not == null ? "" : " other than " + not.machineId()), () -> {
            Optional<NodeProcess> on = runningOn();
            return on.isPresent() && on.get() != not && on.get().isAlive() && webContainers().size() == 1;
        });
        return runningNode();
    }

    /** Ids of the running containers of the unit, on these machines. */
    private List<String> webContainers() {
        return docker.docker("ps", "--filter", "label=io.keel.unit=" + UNIT, "--format",
                "{{.ID}} {{.Label \"io.keel.machine\"}}").lines()
                .map(l -> l.strip().split(" "))
                .filter(f -> f.length == 2 && nodes.stream().anyMatch(n -> n.machineId().equals(f[1])))
                .map(f -> f[0]).toList();
    }

    /** The unit's journal file on {@code node}'s machine (empty if it never ran there). */
    private static String journal(NodeProcess node) {
        return read(node.journal(UNIT));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitJournal(NodeProcess node, String line) {
        try {
            await("the journal of " + UNIT + " on " + node.machineId() + " shows \"" + line + "\"",
                    () -> journal(node).contains(line));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the journal there:\n" + journal(node), e);
        }
    }

    private void await(String what, java.util.function.BooleanSupplier condition) {
        Await.until(WAIT, what + " (logs under " + workDir + ")", condition);
    }
}
