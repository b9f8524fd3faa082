package io.keel.agent.supervise;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * systemd's start rate limit: at most {@code burst} starts within {@code interval}; zero for either
 * turns the limit off. Not thread-safe: used on the supervisor's executor.
 */
final class StartLimiter {
    private final Duration interval;
    private final int burst;
    private final Deque<Instant> starts = new ArrayDeque<>();

    StartLimiter(Duration interval, int burst) {
        this.interval = interval;
        this.burst = burst;
    }

    /** Counts a start at {@code now}, or returns false (and counts nothing) if the limit is hit. */
    boolean tryStart(Instant now) {
        if (interval.isZero() || burst == 0) {
            return true;
        }
        Instant horizon = now.minus(interval);
        while (!starts.isEmpty() && !starts.peekFirst().isAfter(horizon)) {
            starts.pollFirst();
        }
        if (starts.size() >= burst) {
            return false;
        }
        starts.addLast(now);
        return true;
    }

    /** Forgets the counted starts, as {@code systemctl reset-failed}. */
    void reset() {
        starts.clear();
    }
}
