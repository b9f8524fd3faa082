package io.keel.cli.aot;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Every kind of etcd request a store member serves, sent through jetcd and checked: puts one at a
 * time and many in flight, linearizable and serializable ranges with their options, compare-and-
 * swap transactions, deletes, a watch, a lease's life, compaction and status. Any wrong answer
 * throws {@link IllegalStateException} naming it.
 */
final class StoreWorkload {
  private static final long TIMEOUT_S = 30;
  private static final byte[] VALUE = new byte[256];

  private final Client client;
  private final List<String> endpoints;
  private final String prefix;
  private final PrintStream trace;
  private long requests;

  /**
   * Sends requests through a client of {@code endpoints} on keys under {@code prefix}, a line per
   * step to {@code trace}.
   */
  StoreWorkload(Client client, List<String> endpoints, String prefix, PrintStream trace) {
    this.client = client;
    this.endpoints = List.copyOf(endpoints);
    this.prefix = prefix;
    this.trace = trace;
  }

  /** How many requests this workload has sent so far. */
  long requests() {
    return requests;
  }

  /** Every request kind, {@code scale} times over; returns the revision after the last write. */
  long runAll(int scale) throws Exception {
    step("concurrent puts", () -> concurrentPuts(2_000 * scale, 64));
    step("sequential puts", () -> sequentialPuts(300 * scale));
    step("linearizable ranges", () -> ranges(1_000 * scale, false));
    step("serializable ranges", () -> ranges(1_000 * scale, true));
    step("prefix ranges", () -> prefixRanges(50 * scale));
    step("compare-and-swaps", () -> compareAndSwaps(200 * scale));
    step("watch", () -> watch(200 * scale));
    step("leases", () -> leases(20 * scale));
    step("deletes", () -> deletes(20 * scale));
    long revision = status();
    await(client.getKVClient().compact(revision));
    requests++;
    return revision;
  }

  private interface Step {
    void run() throws Exception;
  }

  private void step(String name, Step step) throws Exception {
    long before = requests;
    long started = System.nanoTime();
    step.run();
    trace.printf("aot-training: %s%s: %d requests in %d ms%n", prefix, name, requests - before,
        (System.nanoTime() - started) / 1_000_000);
  }

  void concurrentPuts(int count, int inFlight) throws Exception {
    Semaphore window = new Semaphore(inFlight);
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      window.acquire();
      var put = client.getKVClient().put(key(i % 1_000), bytes(VALUE))
          .whenComplete((r, e) -> window.release());
      pending.add(put);
    }
    await(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)));
    requests += count;
  }

  void sequentialPuts(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      var put = await(client.getKVClient().put(key(i % 100), bytes(VALUE),
          PutOption.builder().withPrevKV().build()));
      check(put.getHeader().getRevision() > 0, "a put answered without a revision");
    }
    requests += count;
  }

  void ranges(int count, boolean serializable) throws Exception {
    GetOption option = GetOption.builder().withSerializable(serializable).build();
    for (int i = 0; i < count; i++) {
      GetResponse got = await(client.getKVClient().get(key(i % 100), option));
      // a follower's serializable answer may not have the newest puts yet
      check(got.getCount() == 1 || serializable && got.getCount() == 0,
          "a range of key " + key(i % 100) + " counted " + got.getCount());
    }
    requests += count;
  }

  void prefixRanges(int count) throws Exception {
    GetOption limited = GetOption.builder().isPrefix(true).withLimit(10)
        .withSortField(GetOption.SortTarget.MOD).withSortOrder(GetOption.SortOrder.DESCEND).build();
    GetOption keysOnly = GetOption.builder().isPrefix(true).withKeysOnly(true).build();
    GetOption countOnly = GetOption.builder().isPrefix(true).withCountOnly(true).build();
    for (int i = 0; i < count; i++) {
      GetResponse page = await(client.getKVClient().get(bytes(prefix), limited));
      check(page.getKvs().size() == 10 && page.isMore(), "a limited prefix range did not stop at 10");
      GetResponse keys = await(client.getKVClient().get(bytes(prefix), keysOnly));
      GetResponse counted = await(client.getKVClient().get(bytes(prefix), countOnly));
      check(keys.getCount() == counted.getCount(), "keys-only and count-only ranges disagree");
    }
    requests += 3L * count;
  }

  void compareAndSwaps(int count) throws Exception {
    ByteSequence key = key(-1);
    await(client.getKVClient().put(key, bytes("0")));
    for (int i = 0; i < count; i++) {
      KeyValue current = await(client.getKVClient().get(key)).getKvs().get(0);
      TxnResponse txn = await(client.getKVClient().txn()
          .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(current.getModRevision())))
          .Then(Op.put(key, bytes(Integer.toString(i + 1)), PutOption.DEFAULT))
          .Else(Op.get(key, GetOption.DEFAULT))
          .commit());
      check(txn.isSucceeded(), "a compare-and-swap on an unchanged key failed");
    }
    String last = await(client.getKVClient().get(key)).getKvs().get(0).getValue()
        .toString(StandardCharsets.UTF_8);
    check(last.equals(Integer.toString(count)), "the swapped key holds " + last + ", not " + count);
    requests += 2L * count + 2;
  }

  void watch(int events) throws Exception {
    CountDownLatch seen = new CountDownLatch(events);
    AtomicLong lastRevision = new AtomicLong();
    ByteSequence watched = bytes(prefix + "watched/");
    long start = await(client.getKVClient().get(watched)).getHeader().getRevision() + 1;
    WatchOption option = WatchOption.builder().isPrefix(true).withPrevKV(true)
        .withRevision(start).build();
    try (Watch.Watcher watcher = client.getWatchClient().watch(watched, option, response ->
        response.getEvents().forEach(event -> {
          if (event.getKeyValue().getModRevision() > lastRevision.getAndSet(
              event.getKeyValue().getModRevision())) {
            seen.countDown();
          }
        }))) {
      for (int i = 0; i < events; i++) {
        await(client.getKVClient().put(bytes(prefix + "watched/" + (i % 10)), bytes(VALUE)));
      }
      check(seen.await(TIMEOUT_S, TimeUnit.SECONDS),
          "the watch saw " + (events - seen.getCount()) + " of " + events + " events in order");
    }
    requests += events + 2;
  }

  void leases(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      long id = await(client.getLeaseClient().grant(30)).getID();
      ByteSequence key = bytes(prefix + "leased/" + i);
      await(client.getKVClient().put(key, bytes(VALUE), PutOption.builder().withLeaseId(id).build()));
      check(await(client.getLeaseClient().keepAliveOnce(id)).getTTL() > 0,
          "a keep-alive of a live lease answered no TTL");
      check(await(client.getLeaseClient().timeToLive(id, LeaseOption.builder().withAttachedKeys()
          .build())).getKeys().size() == 1, "a lease's time-to-live lost its key");
      await(client.getLeaseClient().revoke(id));
      check(await(client.getKVClient().get(key)).getCount() == 0, "a revoked lease kept its key");
    }
    requests += 6L * count;
  }

  void deletes(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      ByteSequence key = bytes(prefix + "doomed/" + i);
      await(client.getKVClient().put(key, bytes(VALUE)));
      var deleted = await(client.getKVClient().delete(key,
          DeleteOption.builder().withPrevKV(true).build()));
      check(deleted.getDeleted() == 1 && deleted.getPrevKvs().size() == 1,
          "a delete of an existing key deleted " + deleted.getDeleted());
    }
    requests += 2L * count;
  }

  /** Lists the members and asks each endpoint's status; returns the highest revision. */
  long status() throws Exception {
    check(!await(client.getClusterClient().listMember()).getMembers().isEmpty(),
        "the member list is empty");
    long revision = 0;
    for (String endpoint : endpoints) {
      revision = Math.max(revision, await(client.getMaintenanceClient()
          .statusMember(endpoint)).getHeader().getRevision());
    }
    requests += 1 + endpoints.size();
    return revision;
  }

  private ByteSequence key(int i) {
    return bytes(prefix + i);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static ByteSequence bytes(byte[] b) {
    return ByteSequence.from(b);
  }

  static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  static <T> T retrying(Supplier<CompletableFuture<T>> call) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (true) {
      try {
        return call.get().get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("training workload: " + what);
    }
  }
}
