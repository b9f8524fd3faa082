package io.keel.cli.crash;

import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.keel.testkit.Await;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several clients write unique keys while the store is killed (SIGKILL) or stopped (SIGTERM).
 * After a restart on the same data dir every acknowledged write is there with its revision, no
 * write appears that was never attempted, and the revision counter carries on.
 */
class AcknowledgedWritesSurviveCrashTest {

    private static final String PREFIX = "/crash/writes/";
    private static final int WRITERS = 6;
    private static final int ACKS_BEFORE_CRASH = 600;
    private static final Duration PUT_TIMEOUT = Duration.ofSeconds(5);

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
    void everyAcknowledgedWriteSurvivesKill9() throws InterruptedException {
        crashWhileWriting(StoreProcess::kill9);
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigterm() throws InterruptedException {
        crashWhileWriting(StoreProcess::stop);
    }

    private void crashWhileWriting(Consumer<StoreProcess> crash) throws InterruptedException {
        store = KeelStoreProcess.start(workDir, System.getProperty("java.class.path"));
        Map<String, String> attempted = new ConcurrentHashMap<>();
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        long revisionBefore;

        try (Client client = Client.builder().endpoints(store.endpoint()).build();
                ExecutorService writers = Executors.newFixedThreadPool(WRITERS)) {
            revisionBefore = await(client.getKVClient().get(bytes("\0"))).getHeader().getRevision();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.execute(() -> write(client, writer, attempted, acknowledged, stop));
            }
            Await.until(Duration.ofSeconds(60), ACKS_BEFORE_CRASH + " writes are acknowledged",
                    () -> acknowledged.size() >= ACKS_BEFORE_CRASH);
            crash.accept(store);
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).as("writers stop").isTrue();
        }
        long lastAcknowledged = acknowledged.values().stream().mapToLong(Long::longValue).max().orElseThrow();

        store.start();
        try (Client client = Client.builder().endpoints(store.endpoint()).build()) {
            GetResponse all = await(client.getKVClient().get(bytes(PREFIX), GetOption.builder().isPrefix(true).build()));
            Map<String, KeyValue> present = new HashMap<>();
            for (KeyValue kv : all.getKvs()) {
                present.put(text(kv.getKey()), kv);
            }

            List<String> lost = new ArrayList<>();
            acknowledged.forEach((key, revision) -> {
                KeyValue kv = present.get(key);
                if (kv == null || kv.getModRevision() != revision || !text(kv.getValue()).equals(attempted.get(key))) {
                    lost.add(key + " (acknowledged at revision " + revision + ", found "
                            + (kv == null ? "nothing" : "revision " + kv.getModRevision()) + ")");
                }
            });
            assertThat(lost).as("acknowledged writes missing or changed after the restart").isEmpty();

            List<String> phantoms = present.values().stream()
                    .filter(kv -> !text(kv.getValue()).equals(attempted.get(text(kv.getKey()))))
                    .map(kv -> text(kv.getKey()) + "=" + text(kv.getValue())).toList();
            assertThat(phantoms).as("writes that were never attempted").isEmpty();

            assertThat(present.values()).allSatisfy(kv -> {
                assertThat(kv.getVersion()).as("version of %s", text(kv.getKey())).isEqualTo(1);
                assertThat(kv.getCreateRevision()).isEqualTo(kv.getModRevision());
            });
            Set<Long> revisions = new HashSet<>();
            present.values().forEach(kv -> revisions.add(kv.getModRevision()));
            assertThat(revisions).as("one revision per put").hasSize(present.size());
            assertThat(revisions).allSatisfy(r -> assertThat(r).isGreaterThan(revisionBefore));

            long highest = revisions.stream().mapToLong(Long::longValue).max().orElseThrow();
            long current = all.getHeader().getRevision();
            assertThat(current).as("revision after restart").isGreaterThanOrEqualTo(highest)
                    .isGreaterThanOrEqualTo(lastAcknowledged);
            long next = await(client.getKVClient().put(bytes(PREFIX + "after-restart"), bytes("x")))
                    .getHeader().getRevision();
            assertThat(next).as("the first write after the restart").isEqualTo(current + 1);
        }
    }

    private static void write(Client client, int writer, Map<String, String> attempted, Map<String, Long> acknowledged,
            AtomicBoolean stop) {
        for (int i = 0; !stop.get(); i++) {
            String key = PREFIX + "w" + writer + "/" + i;
            String value = "writer " + writer + " write " + i;
            attempted.put(key, value);
            try {
                long revision = client.getKVClient().put(bytes(key), bytes(value))
                        .get(PUT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getHeader().getRevision();
                acknowledged.put(key, revision);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // unknown outcome: the write may or may not have happened
            }
        }
    }
}
