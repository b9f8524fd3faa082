package io.keel.cli.crash;

import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.keel.cli.crash.RaftFiles.Segment;
import io.keel.testkit.Await;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged data dir must stop the store from starting: the process exits with a non-zero status
 * and says which file is bad, rather than serving partial or wrong data.
 */
class CorruptDataDirTest {

    private static final Pattern EXIT_STATUS = Pattern.compile("exited with status (-?\\d+) before becoming healthy");

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
    void truncatedNewestSnapshotIsRefused() throws IOException {
        Path snapshot = storeWithSnapshots();
        truncateToHalf(snapshot, Files.size(snapshot));
        assertRefusesToStart(snapshot);
    }

    @Test
    void corruptedNewestSnapshotIsRefused() throws IOException {
        Path snapshot = storeWithSnapshots();
        flipByteAt(snapshot, Files.size(snapshot) / 2);
        assertRefusesToStart(snapshot);
    }

    @Test
    void truncatedLogSegmentIsRefused() throws IOException {
        Path segment = storeWithAClosedSegment();
        truncateToHalf(segment, Files.size(segment));
        assertRefusesToStart(segment);
    }

    @Test
    void corruptedLogSegmentIsRefused() throws IOException {
        Path segment = storeWithAClosedSegment();
        flipByteAt(segment, Files.size(segment) / 2);
        assertRefusesToStart(segment);
    }

    /** A corrupted entry in the middle of the open segment is not a torn tail write. */
    @Test
    void corruptedOpenLogSegmentIsRefused() throws IOException {
        store = KeelStoreProcess.start(workDir, System.getProperty("java.class.path"));
        write(200);
        store.kill9();
        assertThat(new RaftFiles(store.dataDir()).snapshots()).isEmpty();
        Segment open = new RaftFiles(store.dataDir()).segments().stream().filter(Segment::open).findFirst()
                .orElseThrow(() -> new AssertionError("no open segment:" + new RaftFiles(store.dataDir()).listing()));
        flipByteAt(open.file(), dataLength(open.file()) / 2);
        assertRefusesToStart(open.file());
    }

    /** Writes with {@code --snapshot-count 50} and returns the newest snapshot once the store is stopped. */
    private Path storeWithSnapshots() {
        store = KeelStoreProcess.start(workDir, System.getProperty("java.class.path"), "--snapshot-count", "50");
        write(300);
        RaftFiles files = new RaftFiles(store.dataDir());
        Await.until(Duration.ofSeconds(30), "a snapshot is written", () -> files.newestSnapshot().isPresent());
        store.stop();
        return files.newestSnapshot().orElseThrow();
    }

    /**
     * Writes, restarts (Ratis closes the open segment), writes again; returns the closed segment.
     * Kill -9 rather than SIGTERM, which would snapshot everything and make the log redundant.
     */
    private Path storeWithAClosedSegment() {
        store = KeelStoreProcess.start(workDir, System.getProperty("java.class.path"));
        write(200);
        store.kill9();
        store.start();
        write(10);
        store.kill9();
        RaftFiles files = new RaftFiles(store.dataDir());
        List<Segment> closed = files.segments().stream().filter(s -> !s.open()).toList();
        assertThat(closed).as("closed segments after a restart:%s", files.listing()).isNotEmpty();
        assertThat(files.snapshots()).as("no snapshot may cover the segment:%s", files.listing()).isEmpty();
        return closed.get(0).file();
    }

    private void write(int count) {
        try (Client client = Client.builder().endpoints(store.endpoint()).build()) {
            for (int i = 0; i < count; i++) {
                await(client.getKVClient().put(bytes("/crash/corrupt/" + (i % 50)), bytes("value " + i)));
            }
        }
    }

    private void assertRefusesToStart(Path damaged) {
        long logBefore = size(store.logFile());
        Throwable failure = null;
        try {
            store.start();
        } catch (IllegalStateException e) {
            failure = e;
        }
        String output = newOutput(logBefore);
        assertThat(failure).as("the store started on a damaged %s; its output:%n%s", damaged, output).isNotNull();
        Matcher status = EXIT_STATUS.matcher(failure.getMessage());
        assertThat(status.find()).as("the store did not exit; %s", failure.getMessage()).isTrue();
        assertThat(Integer.parseInt(status.group(1))).as("exit status").isNotZero();
        assertThat(output).as("the output names the damaged file").contains(damaged.getFileName().toString());
    }

    private String newOutput(long from) {
        try (FileChannel channel = FileChannel.open(store.logFile(), StandardOpenOption.READ)) {
            channel.position(from);
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + store.logFile(), e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void truncateToHalf(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length / 2);
        }
    }

    private static void flipByteAt(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0xff);
        }
    }

    /** The length up to the last non-zero byte (Ratis pre-allocates open segments with zeros). */
    private static long dataLength(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int end = all.length;
        while (end > 0 && all[end - 1] == 0) {
            end--;
        }
        return end;
    }
}
