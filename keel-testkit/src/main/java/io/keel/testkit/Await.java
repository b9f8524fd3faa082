package io.keel.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, polling with a short growing back-off. */
public final class Await {

    private static final long MIN_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private Await() {}

    /**
     * Returns as soon as {@code condition} is true; throws {@link AssertionError} naming
     * {@code description} if it is still false after {@code timeout}.
     */
    public static void until(Duration timeout, String description, BooleanSupplier condition) {
        Deadline deadline = Deadline.after(timeout);
        long pause = MIN_PAUSE_NANOS;
        while (!condition.getAsBoolean()) {
            if (deadline.isExpired()) {
                throw new AssertionError("Timed out after " + timeout + " waiting until " + description);
            }
            LockSupport.parkNanos(Math.min(pause, deadline.remaining().toNanos()));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting until " + description);
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }
}
