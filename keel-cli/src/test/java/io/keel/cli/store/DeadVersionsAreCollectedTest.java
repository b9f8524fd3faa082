package io.keel.cli.store;

import static io.keel.cli.contract.Wire.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code keel store} process under the launcher's serial collector, whose keys are
 * overwritten and compacted: the dead versions it promoted to the old generation are collected
 * once compaction has released 64 MiB of them, not when the heap reaches the JVM's maximum, the
 * collection frees at least half of what was released, and the live data is intact afterwards.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeadVersionsAreCollectedTest {
    /** The collector and heap options {@code bin/keel} starts a member with. */
    private static final List<String> LAUNCHER_GC = List.of("-XX:+UseSerialGC", "-Xms8m",
            "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=20");
    private static final Pattern COLLECTED = Pattern.compile("collected the old generation after "
            + "the store released (\\d+) MiB of versions .*: (\\d+) MiB before, (\\d+) MiB after");
    private static final int KEYS = 100;
    private static final int VALUE_BYTES = 64 << 10;
    /** 384 MiB of values: six times the growth that triggers a collection. */
    private static final int MAX_WRITES = 6000;
    private static final int COMPACT_EVERY = 200;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    @Test
    void overwrittenAndCompactedVersionsAreCollectedBeforeTheHeapIsFull() {
        Optional<Matcher> collected = Optional.empty();
        int writes = 0;
        try (StoreProcess store = KeelStoreProcess.start(workDir, System.getProperty("java.class.path"),
                        LAUNCHER_GC);
                Client client = Client.builder().endpoints(store.endpoint()).build()) {
            while (collected.isEmpty() && writes < MAX_WRITES) {
                long revision = await(client.getKVClient().put(key(writes % KEYS), value(writes)))
                        .getHeader().getRevision();
                writes++;
                if (writes % COMPACT_EVERY == 0) {
                    await(client.getKVClient().compact(revision - KEYS));
                    collected = collection(store);
                }
            }
            assertThat(collected).as("a collection of the old generation in %s after %d writes",
                    store.logFile(), writes).isPresent();
            long releasedMib = Long.parseLong(collected.get().group(1));
            long beforeMib = Long.parseLong(collected.get().group(2));
            long afterMib = Long.parseLong(collected.get().group(3));
            assertThat(releasedMib).as("collected once 64 MiB were released").isGreaterThanOrEqualTo(64);
            assertThat(afterMib).as("the old generation after the collection, against %d MiB before",
                    beforeMib).isLessThan(beforeMib - releasedMib / 2);
            for (int k = 0; k < KEYS; k++) {
                int last = writes - 1 - Math.floorMod(writes - 1 - k, KEYS);
                var kvs = await(client.getKVClient().get(key(k))).getKvs();
                assertThat(kvs).as("key %d", k).hasSize(1);
                assertThat(kvs.get(0).getValue()).as("key %d", k).isEqualTo(value(last));
            }
        }
    }

    private static Optional<Matcher> collection(StoreProcess store) {
        try {
            Matcher m = COLLECTED.matcher(Files.readString(store.logFile()));
            return m.find() ? Optional.of(m) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteSequence key(int k) {
        return ByteSequence.from("dead-versions/" + k, StandardCharsets.UTF_8);
    }

    /** A value that names its write, so the last write of each key can be told apart. */
    private static ByteSequence value(int write) {
        byte[] bytes = new byte[VALUE_BYTES];
        Arrays.fill(bytes, (byte) ('a' + write % 26));
        byte[] id = Integer.toString(write).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(id, 0, bytes, 0, id.length);
        return ByteSequence.from(bytes);
    }
}
