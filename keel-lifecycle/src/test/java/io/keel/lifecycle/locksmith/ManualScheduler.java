package io.keel.lifecycle.locksmith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven {@link ScheduledExecutorService} with its own fake {@link Clock}: nothing runs until
 * {@link #runPending()} or {@link #advance(Duration)}. Single-threaded use from the test thread.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private Instant now;
    private long sequence;
    private final PriorityQueue<Task> queue = new PriorityQueue<>(ManualScheduler::order);
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    ManualScheduler(Instant start) {
        this.now = start;
    }

    private static int order(Task a, Task b) {
        int c = a.due.compareTo(b.due);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    }

    Clock clock() {
        return clock;
    }

    /** Runs every task due now, including tasks they submit. */
    void runPending() {
        while (!queue.isEmpty() && !queue.peek().due.isAfter(now)) {
            Task t = queue.poll();
            if (!t.cancelled) {
                t.done = true;
                t.action.run();
            }
        }
    }

    /** Moves time forward in steps to each due task, running tasks as their time comes. */
    void advance(Duration d) {
        Instant end = now.plus(d);
        runPending();
        while (!queue.isEmpty() && !queue.peek().due.isAfter(end)) {
            now = queue.peek().due;
            runPending();
        }
        now = end;
        runPending();
    }

    int pendingTimers() {
        return (int) queue.stream().filter(t -> !t.cancelled && t.due.isAfter(now)).count();
    }

    private final class Task implements ScheduledFuture<Object> {
        final Instant due;
        final long seq = sequence++;
        final Runnable action;
        boolean cancelled;
        boolean done;

        Task(Instant due, Runnable action) {
            this.due = due;
            this.action = action;
        }


        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(now, due));
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            if (done) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    @Override
    public void execute(Runnable command) {
        queue.add(new Task(now, command));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task t = new Task(now.plusNanos(unit.toNanos(delay)), command);
        queue.add(t);
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return new ArrayList<>();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
