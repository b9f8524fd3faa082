package io.keel.lifecycle.update;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded scheduled executor driven by the test: tasks run on the calling thread in
 * {@link #runDue()} and {@link #advance}, in due-time order, with time taken from a {@link ManualClock}.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final ManualClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long sequence;
    private boolean shutdown;

    ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    private long now() {
        return clock.instant().toEpochMilli() * 1_000_000L;
    }

    /** Runs every task due now, including ones they schedule for now. */
    void runDue() {
        for (Task<?> t; (t = nextDue()) != null; ) {
            t.runOnce();
        }
    }

    /** Moves the clock forward by {@code d}, running each task at its due time. */
    void advance(Duration d) {
        long end = now() + d.toNanos();
        runDue();
        while (true) {
            Task<?> next = queue.peek();
            if (next == null || next.due > end) {
                break;
            }
            clock.advance(Duration.ofNanos(next.due - now()));
            runDue();
        }
        clock.advance(Duration.ofNanos(end - now()));
        runDue();
    }

    int pending() {
        return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }

    private Task<?> nextDue() {
        Task<?> t = queue.peek();
        if (t == null || t.due > now()) {
            return null;
        }
        return queue.poll();
    }

    private <V> Task<V> schedule(Callable<V> c, long delayNanos, long periodNanos) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        Task<V> t = new Task<>(c, now() + Math.max(0, delayNanos), periodNanos, sequence++);
        queue.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable r, long delay, TimeUnit unit) {
        return schedule(() -> {
            r.run();
            return null;
        }, unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> c, long delay, TimeUnit unit) {
        return schedule(c, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable r, long initialDelay, long period, TimeUnit unit) {
        return scheduleWithFixedDelay(r, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable r, long initialDelay, long delay, TimeUnit unit) {
        return schedule(() -> {
            r.run();
            return null;
        }, unit.toNanos(initialDelay), unit.toNanos(delay));
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
        private long due;
        private final long period;
        private final long seq;

        Task(Callable<V> c, long due, long period, long seq) {
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
                due = now() + period;
                queue.add(this);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - now(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> t = (Task<?>) o;
            return due != t.due ? Long.compare(due, t.due) : Long.compare(seq, t.seq);
        }
    }
}
