package io.keel.cli.cluster;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.StoreEndpoints;
import io.keel.testkit.StoreProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The cluster init system's contract (registry, engine, fleet API, CLI), written once and bound to
 * a store by a subclass ({@link #startStore}): every test runs against a Keel store and against a
 * real etcd. One store per class; each test starts from an empty {@code /keel/} and closes the
 * engines, nodes and simulated machines it started. Logs stay under {@code target/cluster/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ClusterContract implements ClusterFixture, RegistryContract, EngineContract, ApiContract,
        CliContract {

    private StoreProcess store;
    private Client client;
    private Registry registry;
    private Path workDir;
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

    protected abstract StoreProcess startStore(Path workDir);

    @BeforeAll
    void startServer() {
        try {
            Path root = Files.createDirectories(Path.of("target", "cluster").toAbsolutePath());
            workDir = Files.createTempDirectory(root, getClass().getSimpleName() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = startStore(workDir);
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
        client.getKVClient().delete(Keys.bytes(Keys.ROOT), DeleteOption.builder().isPrefix(true).build())
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeResources() throws Exception {
        Exception first = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public <T extends AutoCloseable> T closeAfter(T resource) {
        cleanup.push(resource);
        return resource;
    }

    @Override
    public StoreProcess store() {
        return store;
    }

    @Override
    public Client client() {
        return client;
    }

    @Override
    public Registry registry() {
        return registry;
    }

    @Override
    public Path workDir() {
        return workDir;
    }
}
