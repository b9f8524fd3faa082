package io.keel.cli.crash;

import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once a snapshot is 64 MiB or more, the next one waits until as many bytes of requests have
 * been applied since the last one, however small {@code --snapshot-count} is; after a restart the
 * loaded snapshot's size counts the same way. With 1 MiB values and {@code --snapshot-count 10},
 * a store of about 70 MiB takes its next snapshot some 70 writes later, not 10.
 */
class LargeStateSnapshotsTest {

    private static final int SNAPSHOT_COUNT = 10;
    private static final int VALUE_BYTES = 1 << 20;
    /** A put request's bytes beyond its value: key, tag, protobuf framing. */
    private static final int REQUEST_OVERHEAD = 256;
    private static final long LARGE_SNAPSHOT_BYTES = 64L << 20;
    private static final int KEYS = 70;
    /** More writes than any snapshot interval here needs (about 70 at most). */
    private static final int MAX_WRITES = 400;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    private StoreProcess store;
    private int round;

    /**
     * A snapshot file and its size, read when it was found: Ratis purges old snapshots behind new
     * ones, so the file may be gone by the time it is compared.
     */
    private record Snapshot(Path file, long bytes) {
        long index() {
            return RaftFiles.snapshotIndex(file);
        }
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aLargeSnapshotWaitsForAsManyBytesOfWritesAsItHolds() {
        store = KeelStoreProcess.start(workDir, System.getProperty("java.class.path"),
                "--snapshot-count", String.valueOf(SNAPSHOT_COUNT));
        RaftFiles files = new RaftFiles(store.dataDir());
        Snapshot large;
        try (Client client = connect()) {
            large = writeUntil(client, files, () -> newestSnapshot(files)
                    .filter(s -> s.bytes() >= LARGE_SNAPSHOT_BYTES));
            Snapshot next = writeUntil(client, files, () -> newerThan(files, large));
            assertSnapshotsApart(files, large, next);
        }

        Snapshot beforeRestart = newestSnapshot(files).orElseThrow();
        store.kill9();
        store.start();
        try (Client client = connect()) {
            Snapshot afterRestart = writeUntil(client, files, () -> newerThan(files, beforeRestart));
            assertSnapshotsApart(files, beforeRestart, afterRestart);
        }
    }

    /** Writes 1 MiB values over {@link #KEYS} keys, compacting behind them, until {@code found}. */
    private Snapshot writeUntil(Client client, RaftFiles files, Supplier<Optional<Snapshot>> found) {
        for (int write = 0; write < MAX_WRITES; write++) {
            Optional<Snapshot> snapshot = found.get();
            if (snapshot.isPresent()) {
                return snapshot.get();
            }
            int key = write % KEYS;
            long revision = await(client.getKVClient().put(bytes("/large/" + key), value()))
                    .getHeader().getRevision();
            if (key == KEYS - 1) {
                await(client.getKVClient().compact(revision));
            }
        }
        throw new AssertionError("no such snapshot after " + MAX_WRITES + " writes of 1 MiB;"
                + files.listing());
    }

    private static void assertSnapshotsApart(RaftFiles files, Snapshot older, Snapshot newer) {
        long writesForItsBytes = older.bytes() / (VALUE_BYTES + REQUEST_OVERHEAD);
        assertThat(newer.index() - older.index())
                .as("log entries between %s (%d bytes) and %s; %s", older.file().getFileName(),
                        older.bytes(), newer.file().getFileName(), files.listing())
                .isGreaterThanOrEqualTo(writesForItsBytes);
    }

    private static Optional<Snapshot> newerThan(RaftFiles files, Snapshot snapshot) {
        return newestSnapshot(files).filter(s -> s.index() > snapshot.index());
    }

    /** The newest snapshot with its size; empty if there is none, or it went while being read. */
    private static Optional<Snapshot> newestSnapshot(RaftFiles files) {
        return files.newestSnapshot().flatMap(file -> RaftFiles.sizeIfPresent(file).stream()
                .mapToObj(bytes -> new Snapshot(file, bytes)).findFirst());
    }

    private ByteSequence value() {
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) ('a' + round++ % 26));
        return ByteSequence.from(value);
    }

    private Client connect() {
        return Client.builder().endpoints(store.endpoint()).build();
    }
}
