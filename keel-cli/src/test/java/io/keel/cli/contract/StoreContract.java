package io.keel.cli.contract;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.keel.testkit.StoreProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The etcd v3 API contract, written once and bound to an implementation by a subclass that
 * starts the server ({@link #startStore}). One server per test class; every test works under
 * its own key prefix. The server's log and data stay under {@code target/contract/} for
 * post-mortems.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreContract implements KvContract, TxnContract, CompactContract,
        WatchContract, LeaseContract, ClusterContract, MaintenanceContract, GatewayContract,
        ConcurrencyContract {

    private StoreProcess store;
    private Client client;
    private ManagedChannel channel;
    private String prefix;

    /** Starts the server under test with its files in {@code workDir}. */
    protected abstract StoreProcess startStore(Path workDir);

    @BeforeAll
    void startServer() {
        Path workDir;
        try {
            Path root = Files.createDirectories(Path.of("target", "contract").toAbsolutePath());
            workDir = Files.createTempDirectory(root, getClass().getSimpleName() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = startStore(workDir);
        client = Client.builder().endpoints(store.endpoint()).build();
        URI uri = URI.create(store.endpoint());
        channel = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
    }

    @AfterAll
    void stopServer() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (client != null) {
            client.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @BeforeEach
    void choosePrefix(TestInfo test) {
        prefix = "/contract/" + test.getTestMethod().orElseThrow().getName() + "/";
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
    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public String prefix() {
        return prefix;
    }
}
