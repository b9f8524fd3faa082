package io.keel.lifecycle.locksmith;

import java.time.Duration;

/** Capped exponential backoff: {@code min}, {@code 2*min}, ... up to {@code max}. */
public record Backoff(Duration min, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    public Backoff {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, not " + min + " and " + max);
        }
    }

    /** The delay before retry number {@code failures} (1 = after the first failure). */
    public Duration delay(int failures) {
        int shift = Math.max(0, Math.min(failures - 1, 30));
        Duration d = min.multipliedBy(1L << shift);
        return d.compareTo(max) > 0 ? max : d;
    }
}
