package io.keel.cli.crash;

import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.keys;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.keel.cli.contract.Wire;
import io.keel.testkit.Await;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases across a restart: as in etcd, a restarted leader gives every lease a fresh TTL, keeps its
 * keys, and still expires a lease that nobody keeps alive (deleting its keys).
 */
class LeasesSurviveRestartTest {

    private static final long LONG_TTL = 60;
    private static final long SHORT_TTL = 8;
    /** Time the restart itself and the first request after it may take off a refreshed TTL. */
    private static final long MARGIN = 5;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    private StoreProcess store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void leasesSurviveKill9WithAFreshTtlAndStillExpire() {
        restartWithLeases(StoreProcess::kill9);
    }

    @Test
    void leasesSurviveSigtermWithAFreshTtlAndStillExpire() {
        restartWithLeases(StoreProcess::stop);
    }

    private void restartWithLeases(Consumer<StoreProcess> crash) {
        store = KeelStoreProcess.start(workDir, System.getProperty("java.class.path"));
        long kept;
        long forgotten;
        try (Client client = connect()) {
            kept = await(client.getLeaseClient().grant(LONG_TTL)).getID();
            forgotten = await(client.getLeaseClient().grant(SHORT_TTL)).getID();
            put(client, "/crash/lease/kept/a", kept);
            put(client, "/crash/lease/kept/b", kept);
            put(client, "/crash/lease/forgotten/c", forgotten);
            await(client.getKVClient().put(bytes("/crash/lease/plain"), bytes("x")));
            Await.until(Duration.ofSeconds(30), "the long lease has visibly aged",
                    () -> ttl(client, kept).getTTL() <= LONG_TTL - 4);
        }

        crash.accept(store);
        store.start();

        try (Client client = connect()) {
            LeaseTimeToLiveResponse refreshed = ttl(client, kept);
            assertThat(refreshed.getGrantedTTL()).isEqualTo(LONG_TTL);
            assertThat(refreshed.getTTL()).as("TTL of the long lease after the restart")
                    .isBetween(LONG_TTL - MARGIN, LONG_TTL);
            assertThat(refreshed.getKeys().stream().map(Wire::text).toList())
                    .containsExactlyInAnyOrder("/crash/lease/kept/a", "/crash/lease/kept/b");
            assertThat(ttl(client, forgotten).getTTL()).as("TTL of the short lease after the restart")
                    .isBetween(1L, SHORT_TTL);
            assertThat(await(client.getKVClient().get(bytes("/crash/lease/kept/a"))).getKvs().get(0).getLease())
                    .isEqualTo(kept);

            Await.until(Duration.ofSeconds(SHORT_TTL + 20), "the forgotten lease expires after the restart",
                    () -> await(client.getKVClient().get(bytes("/crash/lease/forgotten/c"))).getKvs().isEmpty());
            assertThat(ttl(client, forgotten).getTTL()).isEqualTo(-1);
            assertThat(keys(await(client.getKVClient().get(bytes("/crash/lease/"),
                    GetOption.builder().isPrefix(true).build())).getKvs()))
                    .containsExactly("/crash/lease/kept/a", "/crash/lease/kept/b", "/crash/lease/plain");

            assertThat(await(client.getLeaseClient().keepAliveOnce(kept)).getTTL()).isEqualTo(LONG_TTL);
            await(client.getLeaseClient().revoke(kept));
            assertThat(keys(await(client.getKVClient().get(bytes("/crash/lease/"),
                    GetOption.builder().isPrefix(true).build())).getKvs()))
                    .isEqualTo(List.of("/crash/lease/plain"));
        }
    }

    private Client connect() {
        return Client.builder().endpoints(store.endpoint()).build();
    }

    private static void put(Client client, String key, long lease) {
        await(client.getKVClient().put(bytes(key), bytes("v"), PutOption.builder().withLeaseId(lease).build()));
    }

    private static LeaseTimeToLiveResponse ttl(Client client, long lease) {
        return await(client.getLeaseClient().timeToLive(lease, LeaseOption.builder().withAttachedKeys().build()));
    }
}
