package io.keel.lifecycle.locksmith;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link StaleHolders} to every semaphore (global and groups) in the store. Any number of
 * nodes may run it: removals are compare-and-swaps of the holders seen, so they are idempotent.
 * A pass that cannot read the store changes nothing. Absence times are kept in memory, so a
 * restarted reaper starts counting again (it can only be later, never earlier).
 */
public final class StaleHolderReaper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StaleHolderReaper.class);
    public static final Duration INTERVAL_DEFAULT = Duration.ofSeconds(30);

    private final Registry registry;
    private final KV kv;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Map<String, Instant>> absentSince = new HashMap<>();
    private ScheduledFuture<?> task;

    public StaleHolderReaper(Registry registry, Duration timeout, Clock clock) {
        this.registry = registry;
        this.kv = registry.client().getKVClient();
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Runs {@link #runOnce} every {@code interval} on {@code executor}, logging failures. */
    public synchronized void start(ScheduledExecutorService executor, Duration interval) {
        task = executor.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                LOG.warn("stale reboot lock holders: pass skipped: {}", e.getMessage());
            }
        }, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** One pass: returns the holders removed, by semaphore key. */
    public synchronized Map<String, Set<String>> runOnce() {
        GetResponse semaphores = registry.callAndWait("reading the reboot locks", () -> kv.get(bytes(LockKeys.PREFIX),
                GetOption.builder().isPrefix(true).build()));
        GetResponse machines = registry.callAndWait("reading the machines", () -> kv.get(bytes(Keys.MACHINES),
                GetOption.builder().isPrefix(true).withKeysOnly(true).build()));
        Set<String> present = new HashSet<>();
        for (KeyValue m : machines.getKvs()) {
            present.add(Keys.string(m.getKey()).substring(Keys.MACHINES.length()));
        }
        Instant now = clock.instant();
        Map<String, Set<String>> removed = new HashMap<>();
        Set<String> seenKeys = new HashSet<>();
        for (KeyValue kvPair : semaphores.getKvs()) {
            String key = Keys.string(kvPair.getKey());
            if (!LockKeys.isSemaphoreKey(key)) {
                continue;
            }
            seenKeys.add(key);
            Semaphore semaphore;
            try {
                semaphore = Semaphore.parse(key, kvPair.getValue().getBytes());
            } catch (BadSemaphoreException e) {
                LOG.warn("stale reboot lock holders: {}", e.getMessage());
                continue;
            }
            StaleHolders.Decision d = StaleHolders.decide(semaphore.holders(), present,
                    absentSince.getOrDefault(key, Map.of()), now, timeout);
            absentSince.put(key, d.absentSince());
            if (!d.remove().isEmpty()) {
                RebootLock.on(registry, key).removeHolders(d.remove());
                LOG.info("removed {} from the reboot lock at {}: no machine record for more than {}", d.remove(),
                        key, timeout);
                removed.put(key, d.remove());
            }
        }
        absentSince.keySet().retainAll(seenKeys);
        return removed;
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
