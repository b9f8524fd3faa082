package io.keel.cli.crash;

import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.options.GetOption;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code --snapshot-count 100}, five thousand writes (60 MB of values, nearly two 32 MB log
 * segments) leave a few snapshots behind and the old log segment purged; after kill -9 the store
 * restarts from them with every key intact and the same revision.
 */
class SnapshotsBoundTheLogTest {

    private static final int SNAPSHOT_COUNT = 100;
    private static final int KEYS = 200;
    private static final int ROUNDS = 25;
    private static final int VALUE_BYTES = 12 * 1024;
    private static final String PREFIX = "/crash/snapshot/";
    /**
     * How far a closed segment may lag behind the newest snapshot before it must be gone: Ratis
     * purges only once the snapshot is {@code raft.server.log.purge.gap} (1024) entries past the
     * last purge, and snapshots are taken every {@link #SNAPSHOT_COUNT} entries.
     */
    private static final long PURGE_SLACK = 1024 + 2L * SNAPSHOT_COUNT;

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
    void snapshotsAndPurgedSegmentsBoundTheRaftLogAcrossKill9() {
        store = KeelStoreProcess.start(workDir, System.getProperty("java.class.path"),
                "--snapshot-count", String.valueOf(SNAPSHOT_COUNT));
        long written = 0;
        long revisionBeforeKill;
        long raftIndexBeforeKill;
        try (Client client = connect()) {
            for (int round = 0; round < ROUNDS; round++) {
                List<CompletableFuture<PutResponse>> puts = new ArrayList<>();
                for (int k = 0; k < KEYS; k++) {
                    puts.add(client.getKVClient().put(key(k), value(round, k)));
                    written += VALUE_BYTES;
                }
                long last = puts.stream().mapToLong(p -> await(p).getHeader().getRevision()).max().orElseThrow();
                await(client.getKVClient().compact(last));
            }
            revisionBeforeKill = await(client.getKVClient().get(bytes("\0"))).getHeader().getRevision();
            raftIndexBeforeKill = await(client.getMaintenanceClient().statusMember(store.endpoint())).getRaftIndex();
        }
        RaftFiles files = new RaftFiles(store.dataDir());
        String beforeKill = files.listing();

        store.kill9();
        store.start();

        try (Client client = connect()) {
            GetResponse all = await(client.getKVClient().get(bytes(PREFIX), GetOption.builder().isPrefix(true).build()));
            assertThat(all.getHeader().getRevision()).as("revision after the restart").isEqualTo(revisionBeforeKill);
            assertThat(all.getKvs()).hasSize(KEYS);
            for (KeyValue kv : all.getKvs()) {
                int k = Integer.parseInt(text(kv.getKey()).substring(PREFIX.length()));
                assertThat(kv.getValue()).as("value of key %d", k).isEqualTo(value(ROUNDS - 1, k));
                assertThat(kv.getVersion()).isEqualTo(ROUNDS);
            }
        }

        String afterRestart = files.listing();
        String context = "raft files before kill -9:" + beforeKill + System.lineSeparator()
                + "after the restart:" + afterRestart;
        List<Path> snapshots = files.snapshots();
        assertThat(snapshots).as("snapshot files; %s", context).isNotEmpty();
        assertThat(snapshots).as("retained snapshot files; %s", context).hasSizeLessThanOrEqualTo(3);
        assertThat(RaftFiles.snapshotIndex(snapshots.get(snapshots.size() - 1)))
                .as("newest snapshot index vs raft index %d; %s", raftIndexBeforeKill, context)
                .isGreaterThanOrEqualTo(raftIndexBeforeKill - 3L * SNAPSHOT_COUNT);
        assertThat(files.segmentBytes())
                .as("bytes in log segments after %d bytes of values went through the log; %s", written, context)
                .isLessThan(written);
        long newestSnapshot = RaftFiles.snapshotIndex(snapshots.get(snapshots.size() - 1));
        assertThat(files.segments()).as("closed segments long covered by the newest snapshot; %s", context)
                .noneMatch(s -> !s.open() && s.last() < newestSnapshot - PURGE_SLACK);
    }

    private Client connect() {
        return Client.builder().endpoints(store.endpoint()).build();
    }

    private static ByteSequence key(int k) {
        return bytes(PREFIX + String.format("%04d", k));
    }

    private static ByteSequence value(int round, int k) {
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) ('a' + round % 26));
        byte[] tag = ("round " + round + " key " + k + ";").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(tag, 0, value, 0, tag.length);
        return ByteSequence.from(value);
    }
}
