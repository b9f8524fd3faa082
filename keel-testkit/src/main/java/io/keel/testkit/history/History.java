package io.keel.testkit.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Records a history from many client threads. A client calls {@link #invoke} just before it
 * sends a request and then exactly one of {@link Call#ok}, {@link Call#unknown} or
 * {@link Call#failed} once it knows the outcome. Thread-safe.
 */
public final class History {

    private final LongSupplier clock;
    private final AtomicInteger ids = new AtomicInteger();
    private final List<KvOperation> completed = new ArrayList<>();

    /** A history timed by {@link System#nanoTime()}. */
    public History() {
        this(System::nanoTime);
    }

    /** A history timed by {@code clock} (monotonic nanoseconds), e.g. a fake clock in tests. */
    public History(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Marks the invocation of {@code input} by {@code client}; the clock is read now. */
    public Call invoke(String client, KvInput input) {
        return new Call(ids.incrementAndGet(), client, input, clock.getAsLong());
    }

    /** The operations recorded so far, in order of invocation. */
    public synchronized List<KvOperation> operations() {
        List<KvOperation> copy = new ArrayList<>(completed);
        copy.sort(Comparator.comparingLong(KvOperation::invokeNanos).thenComparingInt(KvOperation::id));
        return copy;
    }

    private synchronized void add(KvOperation operation) {
        completed.add(operation);
    }

    /** An invoked operation waiting for its outcome. Complete it exactly once. */
    public final class Call {
        private final int id;
        private final String client;
        private final KvInput input;
        private final long invokeNanos;
        private final AtomicBoolean done = new AtomicBoolean();

        private Call(int id, String client, KvInput input, long invokeNanos) {
            this.id = id;
            this.client = client;
            this.input = input;
            this.invokeNanos = invokeNanos;
        }

        /** The server answered: records {@code output} with the clock read now as return time. */
        public KvOperation ok(KvOutput output) {
            return complete(output, clock.getAsLong());
        }

        /** The outcome is unknown: the operation may take effect later, or never. */
        public KvOperation unknown(String reason) {
            return complete(new KvOutput.Unknown(reason), clock.getAsLong());
        }

        /**
         * The operation certainly did not take effect (e.g. it was never sent). It is left out
         * of the history. Anything that may have reached the server is {@link #unknown}.
         */
        public void failed() {
            if (!done.compareAndSet(false, true)) {
                throw new IllegalStateException("operation " + id + " was already completed");
            }
        }

        private KvOperation complete(KvOutput output, long returnNanos) {
            if (!done.compareAndSet(false, true)) {
                throw new IllegalStateException("operation " + id + " was already completed");
            }
            KvOperation operation = new KvOperation(id, client, input, output, invokeNanos, returnNanos);
            add(operation);
            return operation;
        }
    }
}
