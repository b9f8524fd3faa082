package io.keel.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.client.FleetClient;
import io.keel.cli.KeelInProcess;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.cluster.unit.UnitFile;
import io.keel.lifecycle.locksmith.LockKeys;
import io.keel.lifecycle.locksmith.RebootLock;
import io.keel.lifecycle.update.Channel;
import io.keel.lifecycle.update.Manifest;
import io.keel.lifecycle.update.ReleaseKeys;
import io.keel.lifecycle.update.ReleasePublisher;
import io.keel.lifecycle.update.ReleaseSigner;
import io.keel.lifecycle.update.ReleaseVerifier;
import io.keel.lifecycle.update.UpdateServer;
import io.keel.lifecycle.update.Version;
import io.keel.testkit.Await;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.docker.DockerEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Five nodes on one Keel store, reboot lock max 2: a new release rolls through every node, never
 * more than two restarting at once, every unit running somewhere throughout; then a release that
 * fails its health check is rolled back by the first nodes to take it and goes no further.
 */
class RollingUpdateTest {

    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final List<String> UNITS = List.of("svc@1.service", "svc@2.service", "svc@3.service");

    @Test
    void aReleaseRollsThroughUnderTheLockAndABadOneIsRolledBackAndStops() throws Exception {
        DockerEngine docker = DockerEngine.shared();
        String image = docker.busyboxImage();
        Path work = Files.createTempDirectory("keel-rolling-");
        KeyPair keys = ReleaseKeys.generate();
        ReleaseKeys.save(keys, work.resolve("keys"));
        Path serverRoot = Files.createDirectories(work.resolve("server"));
        List<NodeProcess> nodes = new ArrayList<>();
        try (KeelStoreProcess store = KeelStoreProcess.start(work.resolve("store"), System.getProperty("java.class.path"));
                UpdateServer server = UpdateServer.start(new InetSocketAddress("127.0.0.1", 0), serverRoot)) {
            for (int i = 1; i <= 5; i++) {
                String id = "roll-m" + i;
                docker.removeContainers("io.keel.machine", id);
                nodes.add(new NodeProcess(id, work, store.endpoint(), docker.dockerHost(), "rack=r" + i,
                        Duration.ofSeconds(5)).with("--update-server", server.uri().toString(),
                        "--update-public-key", work.resolve("keys").resolve(ReleaseKeys.PUBLIC_KEY_FILE).toString(),
                        "--update-check-interval", "1h", "--health-timeout", "20s", "--drain-timeout", "60s"));
            }
            nodes.forEach(NodeProcess::startSupervised);
            assertThat(KeelInProcess.run("locksmith", "--endpoints", store.endpoint(), "set-max", "2").exit()).isZero();
            FleetClient fleet = nodes.get(0).fleet();
            for (String unit : UNITS) {
                fleet.createUnit(unit, UnitFile.parse("""
                        [Service]
                        TimeoutStopSec=2

                        [Container]
                        Image=%s
                        Exec=/bin/sleep 100000
                        Network=none
                        """.formatted(image)).options(), "launched");
            }
            Await.until(WAIT, "the units run", () -> running(docker).keySet().containsAll(UNITS));

            Registry registry = new Registry(StoreEndpoints.parse(store.endpoint()).connect(), store.endpoint());
            RebootLock lock = RebootLock.on(registry, LockKeys.GLOBAL);
            AtomicInteger maxHolders = new AtomicInteger();
            List<String> gaps = new CopyOnWriteArrayList<>();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (sampling.get()) {
                    try {
                        maxHolders.accumulateAndGet(lock.status().holders().size(), Math::max);
                        Map<String, Integer> now = running(docker);
                        UNITS.stream().filter(u -> !now.containsKey(u))
                                .forEach(u -> gaps.add(Instant.now() + " " + u + " runs nowhere"));
                    } catch (RuntimeException e) {
                        // a sample that cannot be read is skipped
                    }
                }
            });

            publish(work, serverRoot, keys, "1.0.0", null);
            askEveryNodeToCheck(nodes, "1.0.0");
            Await.until(WAIT, "every node runs 1.0.0", () -> versions(nodes).values().stream().allMatch("1.0.0"::equals));
            Await.until(WAIT, "the lock is free again", () -> lock.status().holders().isEmpty());
            assertThat(maxHolders.get()).as("machines holding the reboot lock at once").isBetween(1, 2);
            assertThat(maxConcurrentRestarts(nodes)).as("nodes restarting at once, from their logs").isBetween(1, 2);
            assertThat(gaps).as("every unit kept running somewhere").isEmpty();
            Await.until(WAIT, "the units run", () -> running(docker).keySet().containsAll(UNITS));

            publish(work, serverRoot, keys, "1.1.0", "echo unhealthy; exit 1");
            askEveryNodeToCheck(nodes, "1.1.0");
            Await.until(WAIT, "a node reports 1.1.0 bad", () -> !Registry.await(
                    registry.rangeAll("/keel/lifecycle/bad-release/1.1.0", 0)).kvs().isEmpty());
            Await.until(WAIT, "every node is back on 1.0.0 and the lock is free", () ->
                    versions(nodes).values().stream().allMatch("1.0.0"::equals) && lock.status().holders().isEmpty());
            long tried = nodes.stream().filter(n -> logsContain(n, "running version 1.1.0")).count();
            assertThat(tried).as("nodes that booted the bad release").isBetween(1L, 2L);
            sampling.set(false);
            sampler.join();
            assertThat(gaps).as("every unit kept running somewhere").isEmpty();
        } finally {
            nodes.forEach(NodeProcess::close);
            nodes.forEach(n -> docker.removeContainers("io.keel.machine", n.machineId()));
        }
    }

    /** {@code keel update check --data-dir D} on each machine: its node checks now and installs the release. */
    private static void askEveryNodeToCheck(List<NodeProcess> nodes, String version) {
        for (NodeProcess node : nodes) {
            KeelInProcess.Result checked = KeelInProcess.run("update", "check", "--data-dir", node.dataDir().toString(),
                    "--timeout", "2m");
            assertThat(checked.exit()).as(checked.stderr()).isZero();
            assertThat(checked.stdout()).contains("UPDATED_NEED_REBOOT", version);
        }
    }

    private static Map<String, Integer> running(DockerEngine docker) {
        Map<String, Integer> byUnit = new TreeMap<>();
        docker.docker("ps", "--filter", "label=io.keel.unit", "--format", "{{.Label \"io.keel.unit\"}}").lines()
                .map(String::strip).filter(l -> !l.isEmpty()).forEach(u -> byUnit.merge(u, 1, Integer::sum));
        return byUnit;
    }

    private static Map<String, String> versions(List<NodeProcess> nodes) {
        Map<String, String> versions = new TreeMap<>();
        for (NodeProcess node : nodes) {
            try {
                versions.put(node.machineId(), node.fleet().node().version());
            } catch (RuntimeException e) {
                versions.put(node.machineId(), "down");
            }
        }
        return versions;
    }

    private static boolean logsContain(NodeProcess node, String text) {
        return node.logs().stream().anyMatch(log -> {
            try {
                return Files.exists(log) && Files.readString(log).contains(text);
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** From the nodes' logs: the most nodes between "restarting" and their next start's "healthy". */
    private static int maxConcurrentRestarts(List<NodeProcess> nodes) throws IOException {
        List<Instant[]> spans = new ArrayList<>();
        for (NodeProcess node : nodes) {
            Instant down = null;
            for (Path log : node.logs()) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains(": restarting (drain")) {
                        down = Instant.parse(line.substring(0, line.indexOf(' ')));
                    } else if (down != null && line.contains(": healthy on version")) {
                        spans.add(new Instant[] {down, Instant.parse(line.substring(0, line.indexOf(' ')))});
                        down = null;
                    }
                }
            }
        }
        int max = 0;
        for (Instant[] span : spans) {
            int overlapping = (int) spans.stream()
                    .filter(o -> !o[0].isAfter(span[0]) && o[1].isAfter(span[0])).count();
            max = Math.max(max, overlapping);
        }
        return max;
    }

    private static void publish(Path work, Path serverRoot, KeyPair keys, String version, String healthcheck)
            throws IOException {
        Path release = Files.createDirectories(work.resolve("release-" + version));
        Path payload = release.resolve("keel-" + version + ".zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(payload))) {
            zip.putNextEntry(new ZipEntry("VERSION"));
            zip.write(version.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            if (healthcheck != null) {
                zip.putNextEntry(new ZipEntry("healthcheck"));
                zip.write(("#!/bin/sh\n" + healthcheck + "\n").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        Manifest manifest = new ReleaseSigner(keys.getPrivate())
                .sign(Manifest.describe(payload, Version.parse(version), Channel.parse("stable")));
        manifest.write(release.resolve(Manifest.FILE_NAME));
        ReleasePublisher.publish(release, serverRoot, Channel.parse("stable"), new ReleaseVerifier(keys.getPublic()));
    }
}
