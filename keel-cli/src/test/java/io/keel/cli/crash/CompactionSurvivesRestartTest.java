package io.keel.cli.crash;

import static io.keel.cli.contract.Wire.assertEtcdError;
import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.keel.cli.contract.WatchRecorder;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compact revision survives restarts, whether it comes back from the replayed log or from a
 * snapshot: reads, watches and compactions below it still fail with ErrCompacted.
 */
class CompactionSurvivesRestartTest {

    private static final String COMPACTED = "etcdserver: mvcc: required revision has been compacted";
    private static final String KEY = "/crash/compact/k";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    private StoreProcess store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** No snapshot is taken (default --snapshot-count): the compaction is replayed from the log. */
    @Test
    void compactionReplayedFromTheLogSurvivesSigtermAndKill9() {
        store = KeelStoreProcess.start(workDir, System.getProperty("java.class.path"));
        List<Long> revisions = writeAndCompact(5, 2);
        long compactedAt = revisions.get(2);

        store.stop();
        store.start();
        assertCompactedAt(revisions, compactedAt);

        store.kill9();
        store.start();
        assertCompactedAt(revisions, compactedAt);
    }

    /** Many writes after the compaction, so the restart loads it from a snapshot. */
    @Test
    void compactionInASnapshotSurvivesKill9() {
        store = KeelStoreProcess.start(workDir, System.getProperty("java.class.path"), "--snapshot-count", "20");
        List<Long> revisions = writeAndCompact(5, 2);
        long compactedAt = revisions.get(2);
        try (Client client = connect()) {
            for (int i = 0; i < 100; i++) {
                await(client.getKVClient().put(bytes("/crash/compact/filler"), bytes("f" + i)));
            }
        }
        RaftFiles files = new RaftFiles(store.dataDir());
        assertThat(files.snapshots()).as("snapshots after 100 writes with --snapshot-count 20:%s", files.listing())
                .isNotEmpty();

        store.kill9();
        store.start();
        assertCompactedAt(revisions, compactedAt);
    }

    /** Writes {@code count} versions of one key and compacts at the one with index {@code compactIndex}. */
    private List<Long> writeAndCompact(int count, int compactIndex) {
        List<Long> revisions = new ArrayList<>();
        try (Client client = connect()) {
            for (int i = 0; i < count; i++) {
                revisions.add(await(client.getKVClient().put(bytes(KEY), bytes("v" + i))).getHeader().getRevision());
            }
            await(client.getKVClient().compact(revisions.get(compactIndex)));
        }
        return revisions;
    }

    private void assertCompactedAt(List<Long> revisions, long compactedAt) {
        try (Client client = connect()) {
            KV kv = client.getKVClient();
            for (int i = 0; i < revisions.size(); i++) {
                long rev = revisions.get(i);
                if (rev < compactedAt) {
                    assertEtcdError(kv.get(bytes(KEY), at(rev)), Status.Code.OUT_OF_RANGE, COMPACTED);
                } else {
                    assertThat(values(await(kv.get(bytes(KEY), at(rev))).getKvs())).containsExactly("v" + i);
                }
            }
            assertEtcdError(kv.compact(compactedAt), Status.Code.OUT_OF_RANGE, COMPACTED);
            assertThat(await(client.getMaintenanceClient().hashKV(store.endpoint(), 0)).getCompacted())
                    .isEqualTo(compactedAt);

            WatchRecorder recorder = new WatchRecorder();
            try (Watch.Watcher ignored = client.getWatchClient().watch(bytes(KEY),
                    WatchOption.builder().withRevision(revisions.get(0)).build(), recorder)) {
                Throwable error = recorder.awaitError();
                assertThat(error).isInstanceOf(CompactedException.class);
                assertThat(((CompactedException) error).getCompactedRevision()).isEqualTo(compactedAt);
            }
        }
    }

    private Client connect() {
        return Client.builder().endpoints(store.endpoint()).build();
    }

    private static GetOption at(long revision) {
        return GetOption.builder().withRevision(revision).build();
    }
}
