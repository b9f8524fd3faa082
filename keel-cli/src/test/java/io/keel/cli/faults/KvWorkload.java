package io.keel.cli.faults;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.keel.testkit.history.History;
import io.keel.testkit.history.KvInput;
import io.keel.testkit.history.KvOutput;
import io.keel.testkit.history.Versioned;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that read, write and compare-and-swap a few keys through jetcd, each request sent to a
 * randomly chosen member, and record every operation in a {@link History}.
 *
 * <p>The keys change every {@code generation} (as Jepsen's independent keys do), so each key's
 * history stays short and a failed request cannot widen the checker's search for long. Every
 * written value is unique. A CAS expects the {@code mod_revision} its client last saw for the key
 * (0, absent, for a new key) and reads the key in its failure branch. A few transactions put two
 * keys at once, so watchers see revisions with several events. A request that fails or times
 * out is recorded with an unknown outcome: it may still take effect.
 */
final class KvWorkload implements AutoCloseable {

    static final int KEYS = 3;

    private final List<Client> clients;
    private final History history;
    private final String prefix;
    private final Duration timeout;
    private final Duration generation;
    private final long seed;
    private final int workers;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong acknowledged = new AtomicLong();
    private final Set<String> usedKeys = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private long startedAt;

    KvWorkload(List<String> endpoints, History history, String prefix, long seed, int workers, Duration timeout,
            Duration generation) {
        this.clients = endpoints.stream().map(e -> Client.builder().endpoints(e).build()).toList();
        this.history = history;
        this.prefix = prefix;
        this.seed = seed;
        this.workers = workers;
        this.timeout = timeout;
        this.generation = generation;
    }

    void start() {
        startedAt = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            Worker worker = new Worker("c" + w, new Random(seed * 31 + w));
            threads.add(Thread.ofPlatform().name("workload-c" + w).start(worker::run));
        }
    }

    /** Operations that completed with a definite outcome so far. */
    long acknowledged() {
        return acknowledged.get();
    }

    /** Stops the clients after their current request and waits for them. */
    void stop() {
        stopped.set(true);
        for (Thread t : threads) {
            try {
                if (!t.join(timeout.plusSeconds(10))) {
                    throw new AssertionError(t.getName() + " did not stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Every key the workload touched, sorted. */
    Set<String> keys() {
        return new TreeSet<>(usedKeys);
    }

    /** Reads every key the workload used through every member, recorded as client {@code final}. */
    void finalReads() {
        for (String key : keys()) {
            for (int m = 0; m < clients.size(); m++) {
                read("final-n" + (m + 1), clients.get(m).getKVClient(), key);
            }
        }
    }

    /** An acknowledged put of {@code key}, recorded; returns its revision. */
    long put(String client, String key, String value) {
        History.Call call = history.invoke(client, new KvInput.Write(key, value));
        try {
            long revision = await(clients.getFirst().getKVClient().put(bytes(key), bytes(value)))
                    .getHeader().getRevision();
            call.ok(new KvOutput.WriteOk(revision));
            return revision;
        } catch (ExecutionException | TimeoutException e) {
            call.unknown(describe(e));
            throw new AssertionError("put " + key + " failed after the cluster recovered: " + describe(e), e);
        }
    }

    @Override
    public void close() {
        stopped.set(true);
        clients.forEach(Client::close);
    }

    private void read(String client, KV kv, String key) {
        History.Call call = history.invoke(client, new KvInput.Read(key));
        try {
            GetResponse response = await(kv.get(bytes(key)));
            call.ok(new KvOutput.ReadOk(current(response.getKvs())));
            acknowledged.incrementAndGet();
        } catch (ExecutionException | TimeoutException e) {
            call.unknown(describe(e));
        }
    }

    private final class Worker {
        private final String name;
        private final Random random;
        private final Map<String, Long> lastSeen = new HashMap<>();
        private int counter;

        Worker(String name, Random random) {
            this.name = name;
            this.random = random;
        }

        void run() {
            while (!stopped.get()) {
                long gen = (System.nanoTime() - startedAt) / generation.toNanos();
                String key = key(gen, random.nextInt(KEYS));
                KV kv = clients.get(random.nextInt(clients.size())).getKVClient();
                int dice = random.nextInt(100);
                if (dice < 40) {
                    read(name, kv, key);
                } else if (dice < 65) {
                    write(kv, key);
                } else if (dice < 95) {
                    cas(kv, key);
                } else {
                    String other = key(gen, (Integer.parseInt(key.substring(key.length() - 1)) + 1) % KEYS);
                    writeTwo(kv, key, other);
                }
            }
        }

        private String key(long gen, int index) {
            String key = prefix + "g" + gen + "/k" + index;
            usedKeys.add(key);
            return key;
        }

        private String nextValue() {
            return name + "-" + (++counter);
        }

        private void write(KV kv, String key) {
            String value = nextValue();
            History.Call call = history.invoke(name, new KvInput.Write(key, value));
            try {
                long revision = await(kv.put(bytes(key), bytes(value))).getHeader().getRevision();
                call.ok(new KvOutput.WriteOk(revision));
                lastSeen.put(key, revision);
                acknowledged.incrementAndGet();
            } catch (ExecutionException | TimeoutException e) {
                call.unknown(describe(e));
            }
        }

        private void cas(KV kv, String key) {
            long expected = lastSeen.getOrDefault(key, 0L);
            String value = nextValue();
            History.Call call = history.invoke(name, new KvInput.Cas(key, KvInput.modRevision(expected), value));
            ByteSequence k = bytes(key);
            try {
                TxnResponse response = await(kv.txn()
                        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expected)))
                        .Then(Op.put(k, bytes(value), PutOption.DEFAULT))
                        .Else(Op.get(k, GetOption.DEFAULT))
                        .commit());
                if (response.isSucceeded()) {
                    long revision = response.getHeader().getRevision();
                    call.ok(KvOutput.CasOk.succeeded(revision));
                    lastSeen.put(key, revision);
                } else {
                    Versioned current = current(response.getGetResponses().getFirst().getKvs());
                    call.ok(KvOutput.CasOk.failed(current));
                    lastSeen.put(key, current == null ? 0L : current.modRevision());
                }
                acknowledged.incrementAndGet();
            } catch (ExecutionException | TimeoutException e) {
                call.unknown(describe(e));
            }
        }

        /** One transaction putting two keys at one revision: recorded as two writes. */
        private void writeTwo(KV kv, String first, String second) {
            String v1 = nextValue();
            String v2 = nextValue();
            History.Call c1 = history.invoke(name, new KvInput.Write(first, v1));
            History.Call c2 = history.invoke(name, new KvInput.Write(second, v2));
            try {
                TxnResponse response = await(kv.txn()
                        .Then(Op.put(bytes(first), bytes(v1), PutOption.DEFAULT),
                                Op.put(bytes(second), bytes(v2), PutOption.DEFAULT))
                        .commit());
                long revision = response.getHeader().getRevision();
                c1.ok(new KvOutput.WriteOk(revision));
                c2.ok(new KvOutput.WriteOk(revision));
                lastSeen.put(first, revision);
                lastSeen.put(second, revision);
                acknowledged.incrementAndGet();
            } catch (ExecutionException | TimeoutException e) {
                c1.unknown(describe(e));
                c2.unknown(describe(e));
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private <T> T await(CompletableFuture<T> future) throws ExecutionException, TimeoutException {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new TimeoutException("interrupted");
        }
    }

    private static Versioned current(List<KeyValue> kvs) {
        if (kvs.isEmpty()) {
            return null;
        }
        KeyValue kv = kvs.getFirst();
        return new Versioned(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision());
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
