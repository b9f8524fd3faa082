package io.keel.cli.contract;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;
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

    private ContractServer server;
    private String prefix;

    /** Starts the server under test with its files in {@code workDir}. */
    protected abstract StoreProcess startStore(Path workDir);

    @BeforeAll
    void startServer() {
        server = ContractServer.start(getClass(), this::startStore);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void choosePrefix(TestInfo test) {
        prefix = "/contract/" + test.getTestMethod().orElseThrow().getName() + "/";
    }

    @Override
    public StoreProcess store() {
        return server.store();
    }

    @Override
    public Client client() {
        return server.client();
    }

    @Override
    public ManagedChannel channel() {
        return server.channel();
    }

    @Override
    public String prefix() {
        return prefix;
    }
}
