package io.keel.lifecycle.locksmith;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The release rule for holders that died holding the lock: a holder whose machine has had no
 * {@code /keel/machines/<id>} record (its presence lease expired) continuously for longer than
 * {@code timeout} is removed. Pure: the caller keeps {@code absentSince} between passes.
 */
public final class StaleHolders {

    public static final Duration TIMEOUT_DEFAULT = Duration.ofMinutes(10);

    private StaleHolders() {}

    /** The holders to remove now, and the absence times to keep for the next pass. */
    public record Decision(Set<String> remove, Map<String, Instant> absentSince) {}

    /**
     * @param holders the semaphore's holders
     * @param present ids with a machine record now
     * @param absentSince when each holder was first seen absent (from the previous decision)
     */
    public static Decision decide(Collection<String> holders, Set<String> present, Map<String, Instant> absentSince,
            Instant now, Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("stale holder timeout must not be negative, not " + timeout);
        }
        Set<String> remove = new LinkedHashSet<>();
        Map<String, Instant> still = new HashMap<>();
        for (String holder : holders) {
            if (present.contains(holder)) {
                continue;
            }
            Instant since = absentSince.getOrDefault(holder, now);
            if (Duration.between(since, now).compareTo(timeout) > 0) {
                remove.add(holder);
            } else {
                still.put(holder, since);
            }
        }
        return new Decision(Set.copyOf(remove), Map.copyOf(still));
    }
}
