package io.keel.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives {@code total} requests with at most {@code clients} in flight, the way etcd's
 * benchmark runs one goroutine per client: each client issues a request and, when it
 * completes, issues the next one. Nothing blocks: each client is a chain of async calls
 * (a client's single permit passes from one request's callback to the next), so a couple
 * of event-loop threads can keep thousands of requests in flight.
 *
 * <p>With a rate limit, request {@code i} is not sent before {@code start + i/rate}.
 */
public final class ClosedLoop {

  /** Completion callback of one request. */
  @FunctionalInterface
  public interface Done {
    /** Reports the request's end; {@code error} is null on success. */
    void done(Throwable error);
  }

  /** One request: start it asynchronously and call {@code done} exactly once when it ends. */
  @FunctionalInterface
  public interface Op {
    void start(long seq, int client, Done done);
  }

  /** What a run measured. */
  public record Outcome(
      long issued, long succeeded, long errors, long elapsedNanos, boolean timedOut,
      Throwable firstError) {
    public double seconds() {
      return elapsedNanos / 1e9;
    }

    public double perSecond() {
      return elapsedNanos <= 0 ? 0.0 : succeeded / seconds();
    }
  }

  private static final int MAX_INLINE_DEPTH = 16;
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private final int clients;
  private final long total;
  private final double rate;
  private final long maxErrors;
  private final ScheduledExecutorService scheduler;
  private final Executor offload;

  private final AtomicLong issued = new AtomicLong();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<Throwable> firstError = new AtomicReference<>();
  private final AtomicLong lastDone = new AtomicLong();
  private volatile long startNanos;
  private volatile boolean stopped;
  private CountDownLatch finished;
  private SlowRequests slow;

  /**
   * @param rate requests per second over all clients; 0 for as fast as possible
   * @param maxErrors stop issuing after this many failed requests
   * @param scheduler used for pacing and for breaking long synchronous completion chains
   */
  public ClosedLoop(int clients, long total, double rate, long maxErrors,
      ScheduledExecutorService scheduler) {
    if (clients < 1) {
      throw new IllegalArgumentException("--clients must be >= 1");
    }
    this.clients = (int) Math.min(clients, Math.max(1, total));
    this.total = total;
    this.rate = rate;
    this.maxErrors = maxErrors;
    this.scheduler = scheduler;
    this.offload = scheduler;
  }

  /** Also reports every successful request to {@code slow}. */
  public ClosedLoop reportingTo(SlowRequests slow) {
    this.slow = slow;
    return this;
  }

  /** Runs the requests; returns when all finished, too many failed or {@code timeout} passed. */
  public Outcome run(Op op, LatencyStats stats, long timeout, TimeUnit unit)
      throws InterruptedException {
    finished = new CountDownLatch(clients);
    startNanos = System.nanoTime();
    lastDone.set(startNanos);
    if (total <= 0) {
      return new Outcome(0, 0, 0, 0, false, null);
    }
    for (int c = 0; c < clients; c++) {
      final int client = c;
      offload.execute(() -> next(op, stats, client));
    }
    boolean done = finished.await(timeout, unit);
    if (!done) {
      stopped = true;
    }
    long end = done ? lastDone.get() : System.nanoTime();
    return new Outcome(Math.min(issued.get(), total), succeeded.get(), errors.get(),
        end - startNanos, !done, firstError.get());
  }

  private void next(Op op, LatencyStats stats, int client) {
    if (stopped) {
      finished.countDown();
      return;
    }
    long seq = issued.getAndIncrement();
    if (seq >= total) {
      finished.countDown();
      return;
    }
    if (rate > 0) {
      long due = startNanos + (long) (seq * (1e9 / rate));
      long wait = due - System.nanoTime();
      if (wait > 0) {
        scheduler.schedule(() -> send(op, stats, client, seq), wait, TimeUnit.NANOSECONDS);
        return;
      }
    }
    send(op, stats, client, seq);
  }

  private void send(Op op, LatencyStats stats, int client, long seq) {
    final long t0 = System.nanoTime();
    try {
      op.start(seq, client, error -> complete(op, stats, client, seq, t0, error));
    } catch (RuntimeException e) {
      complete(op, stats, client, seq, t0, e);
    }
  }

  private void complete(Op op, LatencyStats stats, int client, long seq, long t0,
      Throwable error) {
    long now = System.nanoTime();
    lastDone.accumulateAndGet(now, Math::max);
    if (error == null) {
      stats.recordNanos(now - t0);
      if (slow != null) {
        slow.offer(seq, t0, now - t0);
      }
      succeeded.incrementAndGet();
    } else {
      firstError.compareAndSet(null, error);
      if (errors.incrementAndGet() >= maxErrors) {
        stopped = true;
      }
    }
    // A completion may run inline in the caller (e.g. a call failing at once); break deep
    // chains so a burst of synchronous failures cannot overflow the stack.
    int[] depth = DEPTH.get();
    if (depth[0] >= MAX_INLINE_DEPTH) {
      offload.execute(() -> next(op, stats, client));
      return;
    }
    depth[0]++;
    try {
      next(op, stats, client);
    } finally {
      depth[0]--;
    }
  }
}
