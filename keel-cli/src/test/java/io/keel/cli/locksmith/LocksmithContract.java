package io.keel.cli.locksmith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.lifecycle.locksmith.BadSemaphoreException;
import io.keel.lifecycle.locksmith.FleetLockHandler;
import io.keel.lifecycle.locksmith.LockHeldException;
import io.keel.lifecycle.locksmith.LockKeys;
import io.keel.lifecycle.locksmith.LockService;
import io.keel.lifecycle.locksmith.NeedReboot;
import io.keel.lifecycle.locksmith.RebootLock;
import io.keel.lifecycle.locksmith.Semaphore;
import io.keel.lifecycle.locksmith.StaleHolderReaper;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.ManualClock;
import io.keel.testkit.StoreProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * The reboot lock's contract on a real store, written once and bound to a store by a subclass:
 * CAS semaphore, stale holder release, FleetLock over HTTP and {@code keel locksmith}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LocksmithContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreProcess store;
    private Client client;
    private Registry registry;

    protected abstract StoreProcess startStore(Path workDir);

    @BeforeAll
    void startServer() throws IOException {
        Path root = Files.createDirectories(Path.of("target", "locksmith").toAbsolutePath());
        store = startStore(Files.createTempDirectory(root, getClass().getSimpleName() + "-"));
        StoreEndpoints endpoints = StoreEndpoints.parse(store.endpoint());
        client = endpoints.connect();
        registry = new Registry(client, endpoints.toString());
    }

    @AfterAll
    void stopServer() {
        if (client != null) {
            client.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @BeforeEach
    void emptyKeyspace() throws Exception {
        client.getKVClient().delete(bytes("\0"), DeleteOption.builder().withRange(bytes("\u007f")).build())
                .get(10, TimeUnit.SECONDS);
    }

    private RebootLock global() {
        return RebootLock.on(registry, LockKeys.GLOBAL);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private void put(String key, String value) throws Exception {
        client.getKVClient().put(bytes(key), bytes(value)).get(10, TimeUnit.SECONDS);
    }

    private String get(String key) throws Exception {
        var kvs = client.getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getKvs();
        return kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
    }

    // ---- semaphore on the store

    @Test
    void statusCreatesLocksmithsInitialValueAndEtcdctlReadsItsJson() {
        assertThat(global().status()).isEqualTo(Semaphore.initial());
        global().lock("m1");
        Etcdctl.Result r = new Etcdctl(store.endpoint()).run("get", LockKeys.GLOBAL, "--print-value-only");
        assertThat(r.ok()).as(r.stderr()).isTrue();
        assertThat(r.stdout().trim()).isEqualTo("{\"semaphore\":0,\"max\":1,\"holders\":[\"m1\"]}");
    }

    @Test
    void concurrentLockersNeverExceedMax() throws Exception {
        global().setMax(3);
        int lockers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(lockers);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger acquired = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int i = 0; i < lockers; i++) {
                String id = "m" + i;
                done.add(pool.submit(() -> {
                    go.await();
                    try {
                        global().lock(id);
                        acquired.incrementAndGet();
                    } catch (LockHeldException e) {
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(acquired.get()).isEqualTo(3);
        assertThat(refused.get()).isEqualTo(lockers - 3);
        Semaphore s = global().status();
        assertThat(s.holders()).hasSize(3);
        assertThat(s.semaphore()).isZero();
    }

    @Test
    void lockIsIdempotentAndAFullLockNamesItsHolders() {
        assertThat(global().lock("m1")).isEqualTo(LockService.Locked.ACQUIRED);
        assertThat(global().lock("m1")).isEqualTo(LockService.Locked.ALREADY_HELD);
        assertThatThrownBy(() -> global().lock("m2")).isInstanceOf(LockHeldException.class)
                .hasMessageContaining("lock held by m1");
        assertThat(global().unlock("m2")).isEqualTo(LockService.Unlocked.NOT_HELD);
        assertThat(global().unlock("m1")).isEqualTo(LockService.Unlocked.RELEASED);
        assertThat(global().status()).isEqualTo(Semaphore.initial());
    }

    @Test
    void setMaxKeepsHoldersAndGroupsAreSeparate() {
        global().lock("m1");
        RebootLock.Change change = global().setMax(2);
        assertThat(change.before().max()).isEqualTo(1);
        assertThat(change.after()).isEqualTo(new Semaphore(1, 2, List.of("m1")));
        RebootLock workers = RebootLock.on(registry, LockKeys.forGroup("workers"));
        workers.lock("m9");
        assertThat(global().status().holders()).containsExactly("m1");
        assertThat(workers.status().holders()).containsExactly("m9");
        assertThat(workers.key()).isEqualTo("coreos.com/updateengine/rebootlock/groups/workers/semaphore");
    }

    @Test
    void aGarbageValueIsRefusedAndLeftAloneUntilReset() throws Exception {
        put(LockKeys.GLOBAL, "garbage");
        assertThatThrownBy(() -> global().lock("m1")).isInstanceOf(BadSemaphoreException.class)
                .hasMessageContaining(LockKeys.GLOBAL);
        assertThatThrownBy(() -> global().setMax(3)).isInstanceOf(BadSemaphoreException.class);
        assertThatThrownBy(() -> global().unlock("m1")).isInstanceOf(BadSemaphoreException.class);
        assertThat(get(LockKeys.GLOBAL)).isEqualTo("garbage");
        assertThat(global().reset(2)).isEqualTo(Semaphore.ofMax(2));
        assertThat(global().status()).isEqualTo(Semaphore.ofMax(2));
    }

    @Test
    void anUnreachableStoreIsAClearError() {
        StoreEndpoints nowhere = StoreEndpoints.parse("127.0.0.1:1");
        try (Client c = nowhere.connect()) {
            RebootLock lock = RebootLock.on(new Registry(c, nowhere.toString()), LockKeys.GLOBAL);
            assertThatThrownBy(() -> lock.lock("m1")).hasMessageContaining("store http://127.0.0.1:1");
        }
    }

    // ---- stale holders

    @Test
    void aHolderWithoutAMachineRecordPastTheTimeoutIsRemoved() throws Exception {
        global().setMax(2);
        global().lock("alive");
        global().lock("dead");
        put(Keys.machine("alive"), "{\"id\":\"alive\"}");
        ManualClock clock = new ManualClock(Instant.parse("2024-11-26T00:00:00Z"));
        StaleHolderReaper reaper = new StaleHolderReaper(registry, Duration.ofMinutes(5), clock);
        StaleHolderReaper other = new StaleHolderReaper(registry, Duration.ofMinutes(5), clock);

        assertThat(reaper.runOnce()).isEmpty();
        assertThat(other.runOnce()).isEmpty();
        clock.advance(Duration.ofMinutes(5));
        assertThat(reaper.runOnce()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(reaper.runOnce()).isEqualTo(Map.of(LockKeys.GLOBAL, Set.of("dead")));
        assertThat(other.runOnce()).isEmpty();
        assertThat(global().status()).isEqualTo(new Semaphore(1, 2, List.of("alive")));
    }

    // ---- FleetLock

    private record Reply(int status, JsonNode body) {}

    private Reply fleetLock(HttpServer server, String method, String path, String header, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.getAddress().getPort() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (header != null) {
            request.header(FleetLockHandler.HEADER, header);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }

    private static String params(String id, String group) {
        return "{\"client_params\":{\"id\":\"" + id + "\",\"group\":\"" + group + "\"}}";
    }

    private HttpServer fleetLockServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/", FleetLockHandler.on(registry));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void fleetLockTakesAndReleasesTheSemaphore() throws Exception {
        HttpServer server = fleetLockServer();
        try {
            Reply first = fleetLock(server, "POST", "/v1/pre-reboot", "true", params("z1", "default"));
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body().isObject() && first.body().isEmpty()).isTrue();
            assertThat(fleetLock(server, "POST", "/v1/pre-reboot", "true", params("z1", "default")).status())
                    .isEqualTo(200);
            assertThat(global().status().holders()).containsExactly("z1");

            Reply full = fleetLock(server, "POST", "/v1/pre-reboot", "true", params("z2", "default"));
            assertThat(full.status()).isEqualTo(409);
            assertThat(full.body().get("kind").asText()).isEqualTo("failed_lock");
            assertThat(full.body().get("value").asText()).contains("lock held by z1");

            assertThat(fleetLock(server, "POST", "/v1/pre-reboot", "true", params("z2", "workers")).status())
                    .isEqualTo(200);
            assertThat(RebootLock.on(registry, LockKeys.forGroup("workers")).status().holders()).containsExactly("z2");

            assertThat(fleetLock(server, "POST", "/v1/steady-state", "true", params("z1", "default")).status())
                    .isEqualTo(200);
            assertThat(fleetLock(server, "POST", "/v1/steady-state", "true", params("z1", "default")).status())
                    .isEqualTo(200);
            assertThat(global().status()).isEqualTo(Semaphore.initial());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badFleetLockRequestsAreRefusedAndChangeNothing() throws Exception {
        HttpServer server = fleetLockServer();
        try {
            global().status();
            assertRefused(fleetLock(server, "POST", "/v1/pre-reboot", null, params("z1", "default")), 400,
                    "missing_fleet_lock_header", "fleet-lock-protocol");
            assertRefused(fleetLock(server, "POST", "/v1/pre-reboot", "false", params("z1", "default")), 400,
                    "missing_fleet_lock_header", "'false'");
            assertRefused(fleetLock(server, "POST", "/v1/pre-reboot", "true", params("z1", "no/such")), 400,
                    "invalid_group", "group 'no/such' is invalid");
            assertRefused(fleetLock(server, "POST", "/v1/pre-reboot", "true", params("", "default")), 400,
                    "invalid_client_id", "client_params.id");
            assertRefused(fleetLock(server, "GET", "/v1/pre-reboot", "true", null), 405,
                    "method_not_allowed", "GET");
            assertRefused(fleetLock(server, "POST", "/v1/pre-reboot", "true", "{not json"), 400,
                    "bad_request", "not JSON");
            assertRefused(fleetLock(server, "POST", "/v1/pre-reboot", "true", "{\"client_params\":{\"id\":\"z1\"}}"),
                    400, "bad_request", "client_params.group is missing");
            assertRefused(fleetLock(server, "POST", "/v1/reboot-now", "true", params("z1", "default")), 404,
                    "not_found", "/v1/reboot-now");
            assertThat(global().status()).isEqualTo(Semaphore.initial());
            assertThat(get(LockKeys.forGroup("no"))).isNull();

            put(LockKeys.GLOBAL, "garbage");
            assertRefused(fleetLock(server, "POST", "/v1/pre-reboot", "true", params("z1", "default")), 500,
                    "failed_lock", "not a valid locksmith semaphore");
            assertThat(get(LockKeys.GLOBAL)).isEqualTo("garbage");
        } finally {
            server.stop(0);
        }
    }

    private static void assertRefused(Reply reply, int status, String kind, String valuePart) {
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
        assertThat(reply.body().get("kind").asText()).isEqualTo(kind);
        assertThat(reply.body().get("value").asText()).contains(valuePart);
    }

    // ---- keel locksmith

    private record Run(int exit, String out, String err) {}

    private Run keel(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new LocksmithCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("keel: " + e.getMessage());
            return 1;
        });
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--endpoints=" + store.endpoint());
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void cliVerbsLikeLocksmithctl() throws Exception {
        assertThat(keel("status")).isEqualTo(new Run(0, "Available: 1\nMax: 1\n", ""));
        assertThat(keel("lock", "m1").exit()).isZero();
        assertThat(keel("status").out()).isEqualTo("Available: 0\nMax: 1\n\nMACHINE ID\nm1\n");

        Run refused = keel("lock", "m2");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("lock held by m1");

        Run notHeld = keel("unlock", "m2");
        assertThat(notHeld.exit()).isEqualTo(1);
        assertThat(notHeld.err()).contains("lock not held by m2");

        assertThat(keel("set-max", "2")).isEqualTo(new Run(0, "Old: 1\nNew: 2\n", ""));
        assertThat(keel("lock", "--machine-id", "m3").exit()).isZero();
        assertThat(keel("unlock", "m1").exit()).isZero();
        assertThat(keel("status").out()).isEqualTo("Available: 1\nMax: 2\n\nMACHINE ID\nm3\n");

        assertThat(keel("lock", "g1", "--group", "workers").exit()).isZero();
        assertThat(RebootLock.on(registry, LockKeys.forGroup("workers")).status().holders()).containsExactly("g1");
        assertThat(keel("status", "--group", "bad/group").err()).contains("group 'bad/group' is invalid");

        put(LockKeys.GLOBAL, "garbage");
        Run garbage = keel("status");
        assertThat(garbage.exit()).isEqualTo(1);
        assertThat(garbage.err()).contains(LockKeys.GLOBAL).contains("not a valid locksmith semaphore");
        assertThat(keel("set-max", "--reset", "1").exit()).isZero();
        assertThat(keel("status").out()).isEqualTo("Available: 1\nMax: 1\n");
    }

    @Test
    void cliRebootAndSendNeedReboot(@org.junit.jupiter.api.io.TempDir Path dataDir) throws Exception {
        Files.writeString(dataDir.resolve("machine-id"), "abc123\n");
        assertThat(keel("send-need-reboot", "--data-dir", dataDir.toString()).exit()).isZero();
        assertThat(new NeedReboot(registry).get("abc123")).isPresent();

        Run failed = keel("reboot", "--data-dir", dataDir.toString(), "--reboot-command", "false");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).contains("exited with status 1").contains("reboot lock released");
        assertThat(global().status().holders()).isEmpty();

        assertThat(keel("reboot", "--data-dir", dataDir.toString(), "--reboot-command", "true").exit()).isZero();
        assertThat(global().status().holders()).containsExactly("abc123");

        Run noId = keel("lock", "--data-dir", dataDir.resolve("missing").toString());
        assertThat(noId.exit()).isEqualTo(1);
        assertThat(noId.err()).contains("no machine id given");
    }
}
