package io.keel.testkit;

import java.time.Duration;

/** A point in monotonic time ({@link System#nanoTime()}) by which something must happen. */
public record Deadline(long nanoTime) {

    public static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    public boolean isExpired() {
        return remaining().isZero();
    }

    /** Time left, never negative. */
    public Duration remaining() {
        long left = nanoTime - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
}
