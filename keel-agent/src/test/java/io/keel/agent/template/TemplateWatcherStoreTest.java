package io.keel.agent.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.testkit.Await;
import io.keel.testkit.EtcdProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TemplateWatcher} against a real etcd. */
class TemplateWatcherStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private EtcdProcess etcd;
    private Registry registry;
    private ScheduledExecutorService executor;
    private TemplateWatcher watcher;
    private final List<List<String>> changes = new CopyOnWriteArrayList<>();
    private final List<RenderResult> failures = new CopyOnWriteArrayList<>();
    private final List<RuntimeException> storeErrors = new CopyOnWriteArrayList<>();
    private Path destination;

    @BeforeEach
    void startStore() {
        etcd = EtcdProcess.start(dir.resolve("etcd"));
        registry = new Registry(StoreEndpoints.parse(etcd.endpoint()).connect(), etcd.endpoint(), Duration.ofSeconds(2));
        executor = Executors.newSingleThreadScheduledExecutor();
        destination = dir.resolve("etc/web.conf");
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        if (watcher != null) {
            watcher.close();
        }
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        registry.client().close();
        etcd.close();
    }

    private void put(String key, String value) {
        Registry.await(registry.client().getKVClient().put(bytes(key), bytes(value)));
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private String file() {
        try {
            return Files.exists(destination) ? Files.readString(destination) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private List<RenderResult> start(String checkCmd, Duration debounce) throws Exception {
        Files.writeString(dir.resolve("web.conf.mustache"), "port={{apps.web.port}}\n");
        String unit = """
                [Service]
                ExecStart=/bin/true
                WorkingDirectory=%s

                [Template]
                Source=web.conf.mustache
                Destination=%s
                Keys=/apps/web
                """.formatted(dir, destination) + (checkCmd == null ? "" : "CheckCmd=" + checkCmd + "\n");
        UnitTemplates templates = UnitTemplates.parse(io.keel.cluster.unit.UnitFile.parse(unit));
        watcher = new TemplateWatcher("web.service", registry, templates,
                new Renderer(new ProcessCommandRunner(), Duration.ofSeconds(10)), Clock.systemUTC(), executor,
                new TemplateWatcher.Timing(debounce, Duration.ofSeconds(10), Duration.ofMillis(200)),
                new TemplateWatcher.Listener() {
                    @Override
                    public void onChanged(List<String> destinations) {
                        changes.add(destinations);
                    }

                    @Override
                    public void onRenderFailed(RenderResult failure) {
                        failures.add(failure);
                    }

                    @Override
                    public void onStoreFailed(RuntimeException error) {
                        storeErrors.add(error);
                    }
                });
        return watcher.start().get(30, TimeUnit.SECONDS);
    }

    @Test
    void rendersBeforeStartThenOnceForEachChangeThatChangesTheFile() throws Exception {
        put("/apps/web/port", "8080");
        put("/apps/webx/port", "1");

        List<RenderResult> first = start(null, Duration.ofMillis(100));

        assertThat(first).containsExactly(new RenderResult.Replaced(destination));
        assertThat(file()).isEqualTo("port=8080\n");
        assertThat(changes).isEmpty();

        put("/apps/web/port", "9090");
        Await.until(WAIT, "the change is rendered", () -> file().equals("port=9090\n"));
        Await.until(WAIT, "the change is reported", () -> changes.size() == 1);
        assertThat(changes.get(0)).containsExactly(destination.toString());

        put("/apps/web/unused", "x");
        put("/apps/webx/port", "2");
        put("/apps/web/port", "9191");
        Await.until(WAIT, "the last change is rendered", () -> file().equals("port=9191\n"));
        Await.until(WAIT, "the last change is reported", () -> changes.size() >= 2);
        assertThat(changes).as("a key the template does not use changes no file").hasSize(2);
        assertThat(failures).isEmpty();
    }

    @Test
    void aBurstOfChangesIsRenderedAndReportedOnce() throws Exception {
        put("/apps/web/port", "8000");
        start(null, Duration.ofSeconds(1));

        for (int i = 1; i <= 10; i++) {
            put("/apps/web/port", Integer.toString(8000 + i));
        }

        Await.until(WAIT, "the burst is rendered", () -> file().equals("port=8010\n"));
        Await.until(WAIT, "the burst is reported", () -> !changes.isEmpty());
        assertThat(changes).containsExactly(List.of(destination.toString()));
    }

    @Test
    void aFailingCheckKeepsTheOldFileAndReportsItThenAGoodValueIsRendered() throws Exception {
        put("/apps/web/port", "8080");
        start("/bin/sh -c \"grep -qx 'port=[0-9]*' \\\"$0\\\" || { echo port is not a number; exit 2; }\" {{src}}",
                Duration.ofMillis(100));
        assertThat(file()).isEqualTo("port=8080\n");

        put("/apps/web/port", "eighty");
        Await.until(WAIT, "the failed check is reported", () -> !failures.isEmpty());
        assertThat(failures.get(0)).isInstanceOf(RenderResult.CheckFailed.class);
        assertThat(failures.get(0).toString()).contains("exit status 2", "port is not a number", "kept the old file");
        assertThat(file()).isEqualTo("port=8080\n");
        assertThat(changes).isEmpty();

        put("/apps/web/port", "8181");
        Await.until(WAIT, "the good value is rendered", () -> file().equals("port=8181\n"));
        Await.until(WAIT, "the good value is reported", () -> changes.size() == 1);
        assertThat(failures).hasSize(1);
    }

    @Test
    void anOutageKeepsTheFileAndAChangeAfterTheStoreReturnsIsRenderedOnce() throws Exception {
        put("/apps/web/port", "8080");
        start(null, Duration.ofMillis(100));

        etcd.stop();
        assertThat(file()).isEqualTo("port=8080\n");
        etcd.start();
        Await.until(WAIT, "the store takes writes again", () -> {
            try {
                put("/apps/web/port", "7070");
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });

        Await.until(WAIT, "the change made after the outage is rendered", () -> file().equals("port=7070\n"));
        Await.until(WAIT, "the change is reported", () -> !changes.isEmpty());
        put("/apps/web/port", "7171");
        Await.until(WAIT, "a later change is rendered", () -> file().equals("port=7171\n"));
        Await.until(WAIT, "the later change is reported", () -> changes.size() >= 2);
        assertThat(changes).as("one report per change, none doubled by the reconnect").hasSize(2);
        assertThat(file()).isEqualTo("port=7171\n");
    }

    @Test
    void environmentComesFromTheKeysUnderThePrefixes() {
        put("/apps/all/env/REGION", "eu");
        put("/apps/all/env/PORT", "80");
        put("/apps/web/env/PORT", "8080");
        put("/apps/web/env/not-a-name", "x");

        StoreEnvironment.Result env = new StoreEnvironment(registry)
                .read(List.of("/apps/all/env/", "/apps/web/env/")).join();

        assertThat(env.environment()).isEqualTo(Map.of("REGION", "eu", "PORT", "8080"));
        assertThat(env.skipped()).hasSize(1).allSatisfy(s -> assertThat(s).contains("/apps/web/env/not-a-name"));
    }
}
