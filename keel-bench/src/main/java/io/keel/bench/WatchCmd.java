package io.keel.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Watch fan-out (after etcd's {@code benchmark watch-latency}): {@code --watchers} watchers
 * spread over {@code --streams} watch streams watch a set of {@code --keys} keys; then
 * {@code --total} puts cycle over the keys. Each put carries its send time
 * ({@link System#nanoTime()}) in the first 8 bytes of its value, so every event received
 * gives one delivery latency: put sent to event received, which includes the put's commit.
 * Reports the puts (as the run's requests), events received/expected, events/s and the
 * delivery latency percentiles.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Watch fan-out: W watchers, P puts, event delivery latency and events/s.")
public final class WatchCmd extends Workload {
  @Option(names = "--watchers", defaultValue = "1000", description = "Watchers (default: ${DEFAULT-VALUE}).")
  int watchers;

  @Option(names = "--streams", defaultValue = "10",
      description = "Watch streams the watchers share (default: ${DEFAULT-VALUE}).")
  int streams;

  @Option(names = "--keys", defaultValue = "100", description = "Keys watched and written (default: ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--val-size", defaultValue = "256",
      description = "Value size in bytes, at least 8 (default: ${DEFAULT-VALUE}).")
  int valSize;

  @Option(names = "--key-prefix", defaultValue = "/keel-bench/watch/",
      description = "Prefix of the watched keys (default: ${DEFAULT-VALUE}).")
  String keyPrefix;

  @Option(names = "--drain-timeout", defaultValue = "60",
      description = "Seconds to wait for the last events after the last put (default: ${DEFAULT-VALUE}).")
  long drainTimeoutSeconds;

  private final LatencyStats delivery = new LatencyStats();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong created = new AtomicLong();
  private final AtomicLong firstEventNanos = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastEventNanos = new AtomicLong();
  private final AtomicReference<String> watchError = new AtomicReference<>();
  private final List<StreamObserver<WatchRequest>> requestStreams = new ArrayList<>();
  private volatile boolean measuring;
  private volatile long expected = Long.MAX_VALUE;
  private volatile CountDownLatch allEvents = new CountDownLatch(1);
  private CountDownLatch allCreated;
  private long[] watchersPerKey;
  private long measuredStartNanos;
  private boolean failed;

  @Override
  protected String name() {
    return "watch";
  }

  @Override
  protected String unit() {
    return "put";
  }

  @Override
  protected void describe(JsonLine json) {
    json.put("watchers", watchers).put("streams", streams).put("keys", keys)
        .put("val_size", valSize);
  }

  private ByteString key(long i) {
    return ByteString.copyFromUtf8(keyPrefix + String.format("%06d", i));
  }

  @Override
  protected void prepare() {
    if (valSize < 8) {
      throw new IllegalArgumentException("--val-size must be >= 8");
    }
    if (watchers < 1 || streams < 1 || keys < 1) {
      throw new IllegalArgumentException("--watchers, --streams and --keys must be >= 1");
    }
  }

  @Override
  protected void beforeMeasured() throws Exception {
    int s = Math.min(streams, watchers);
    allCreated = new CountDownLatch(watchers);
    for (int i = 0; i < s; i++) {
      requestStreams.add(WatchGrpc.newStub(conns.forClient(i)).watch(new Receiver()));
    }
    watchersPerKey = new long[keys];
    long t0 = System.nanoTime();
    for (int w = 0; w < watchers; w++) {
      int k = w % keys;
      watchersPerKey[k]++;
      StreamObserver<WatchRequest> stream = requestStreams.get(w % s);
      stream.onNext(WatchRequest.newBuilder()
          .setCreateRequest(WatchCreateRequest.newBuilder().setKey(key(k))).build());
    }
    if (!allCreated.await(Math.max(30, common.requestTimeoutSeconds), TimeUnit.SECONDS)) {
      throw new IllegalStateException("only " + created.get() + " of " + watchers
          + " watchers were created" + (watchError.get() == null ? "" : ": " + watchError.get()));
    }
    createSeconds = (System.nanoTime() - t0) / 1e9;
    long exp = 0;
    for (long seq = 0; seq < common.total; seq++) {
      exp += watchersPerKey[(int) (seq % keys)];
    }
    allEvents = new CountDownLatch(1);
    received.set(0);
    expected = exp;
    measuredStartNanos = System.nanoTime();
    measuring = true;
    if (exp == 0) {
      allEvents.countDown();
    }
  }

  private double createSeconds;

  @Override
  protected ClosedLoop.Op op() {
    KVGrpc.KVStub[] stubs = new KVGrpc.KVStub[conns.size()];
    for (int i = 0; i < stubs.length; i++) {
      stubs[i] = KVGrpc.newStub(conns.all().get(i));
    }
    byte[] pad = Keys.randomValue(valSize).toByteArray();
    return (seq, client, done) -> {
      ByteBuffer v = ByteBuffer.allocate(valSize);
      v.put(pad);
      v.putLong(0, System.nanoTime());
      v.rewind();
      PutRequest req = PutRequest.newBuilder().setKey(key(seq % keys))
          .setValue(ByteString.copyFrom(v)).build();
      withDeadline(stubs[client % stubs.length]).put(req, completing(done));
    };
  }

  @Override
  protected void after(ClosedLoop.Outcome outcome, JsonLine json, StringBuilder human)
      throws Exception {
    // Expect events only for the puts that succeeded (all, unless the run had errors).
    if (outcome.succeeded() != common.total) {
      long exp = 0;
      for (long seq = 0; seq < outcome.issued(); seq++) {
        exp += watchersPerKey[(int) (seq % keys)];
      }
      expected = exp;
    }
    boolean drained = allEvents.await(drainTimeoutSeconds, TimeUnit.SECONDS)
        || received.get() >= expected;
    measuring = false;
    for (StreamObserver<WatchRequest> s : requestStreams) {
      try {
        s.onCompleted();
      } catch (RuntimeException ignored) {
        // the stream may already be gone
      }
    }
    long got = received.get();
    long last = lastEventNanos.get();
    double window = last > measuredStartNanos ? (last - measuredStartNanos) / 1e9 : 0;
    double eventsPerSecond = window > 0 ? got / window : 0;
    json.put("watch_create_s", createSeconds)
        .put("events", got)
        .put("events_expected", expected)
        .put("events_per_s", eventsPerSecond)
        .put("events_window_s", window);
    delivery.writeTo(json, "event_");
    human.append(String.format("  watchers %d on %d streams over %d keys, created in %.3f s%n",
        watchers, Math.min(streams, watchers), keys, createSeconds));
    human.append(String.format("  events %d/%d in %.3f s: %.1f events/s%s%n", got, expected,
        window, eventsPerSecond, drained ? "" : " (MISSING EVENTS after drain timeout)"));
    human.append("  delivery latency ").append(delivery.summary()).append('\n');
    if (watchError.get() != null) {
      human.append("  watch error: ").append(watchError.get()).append('\n');
      json.put("watch_error", watchError.get());
    }
    failed = !drained || got != expected || watchError.get() != null;
  }

  @Override
  protected boolean afterFailed() {
    return failed;
  }

  /** Receives one watch stream's responses (on the Netty event loop). */
  private final class Receiver implements StreamObserver<WatchResponse> {
    @Override
    public void onNext(WatchResponse r) {
      if (r.getCreated()) {
        created.incrementAndGet();
        allCreated.countDown();
      }
      if (r.getCanceled()) {
        watchError.compareAndSet(null, "watch " + r.getWatchId() + " canceled: "
            + r.getCancelReason() + " (compact_revision " + r.getCompactRevision() + ")");
        allEvents.countDown();
        return;
      }
      int n = r.getEventsCount();
      if (n == 0 || !measuring) {
        return;
      }
      long now = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Event e = r.getEvents(i);
        ByteString v = e.getKv().getValue();
        if (v.size() >= 8) {
          delivery.recordNanos(now - v.asReadOnlyByteBuffer().getLong(0));
        }
      }
      firstEventNanos.accumulateAndGet(now, Math::min);
      lastEventNanos.accumulateAndGet(now, Math::max);
      if (received.addAndGet(n) >= expected) {
        allEvents.countDown();
      }
    }

    @Override
    public void onError(Throwable t) {
      if (measuring || allCreated.getCount() > 0) {
        watchError.compareAndSet(null, "watch stream failed: " + errorText(t));
        allEvents.countDown();
      }
    }

    @Override
    public void onCompleted() {}
  }
}
