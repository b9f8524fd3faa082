package io.keel.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded {@link ScheduledExecutorService} driven by the test on its own thread, with
 * time from a {@link ManualClock}: nothing runs until {@link #runDue()} or {@link #advance}, and
 * then tasks run on the calling thread in due-time order (submission order for equal times).
 * Periodic tasks are supported; after {@code shutdown} new tasks are rejected.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final ManualClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long sequence;
    private boolean shutdown;

    public ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    /** With a clock of its own, starting at {@code start}. */
    public ManualScheduler(Instant start) {
        this(new ManualClock(start));
    }

    public ManualClock clock() {
        return clock;
    }

    /** Runs every task due now, including tasks they submit for now. */
    public void runDue() {
        for (Task<?> t; (t = nextDue()) != null; ) {
            t.runOnce();
        }
    }

    /** Moves the clock forward by {@code d} in steps to each due task, running tasks as their time comes. */
    public void advance(Duration d) {
        Instant end = clock.instant().plus(d);
        runDue();
        for (Task<?> next; (next = queue.peek()) != null && !next.due.isAfter(end); ) {
            clock.advance(Duration.between(clock.instant(), next.due));
            runDue();
        }
        clock.advance(Duration.between(clock.instant(), end));
        runDue();
    }

    /** Tasks queued and not cancelled, due now or later. */
    public int pending() {
        return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }

    /** Tasks queued and not cancelled that are due later than now. */
    public int pendingTimers() {
        Instant now = clock.instant();
        return (int) queue.stream().filter(t -> !t.isCancelled() && t.due.isAfter(now)).count();
    }

    private Task<?> nextDue() {
        Task<?> t = queue.peek();
        return t == null || t.due.isAfter(clock.instant()) ? null : queue.poll();
    }

    private <V> Task<V> schedule(Callable<V> c, long delayNanos, long periodNanos) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        Task<V> t = new Task<>(c, clock.instant().plusNanos(Math.max(0, delayNanos)), periodNanos, sequence++);
        queue.add(t);
        return t;
    }

    private static Callable<Object> callable(Runnable r) {
        return () -> {
            r.run();
            return null;
        };
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable r, long delay, TimeUnit unit) {
        return schedule(callable(r), unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> c, long delay, TimeUnit unit) {
        return schedule(c, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable r, long initialDelay, long period, TimeUnit unit) {
        return schedule(callable(r), unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable r, long initialDelay, long delay, TimeUnit unit) {
        return schedule(callable(r), unit.toNanos(initialDelay), unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable r) {
        schedule(r, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private Instant due;
        private final long period;
        private final long seq;

        Task(Callable<V> c, Instant due, long period, long seq) {
            super(c);
            this.due = due;
            this.period = period;
            this.seq = seq;
        }

        void runOnce() {
            if (isCancelled()) {
                return;
            }
            if (period == 0) {
                run();
            } else if (runAndReset()) {
                due = clock.instant().plusNanos(period);
                queue.add(this);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(clock.instant(), due));
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> t = (Task<?>) o;
            int c = due.compareTo(t.due);
            return c != 0 ? c : Long.compare(seq, t.seq);
        }
    }
}
