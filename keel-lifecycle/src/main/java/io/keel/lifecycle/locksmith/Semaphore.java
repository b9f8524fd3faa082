package io.keel.lifecycle.locksmith;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * locksmith's reboot semaphore, byte-compatible with its JSON:
 * {@code {"semaphore":1,"max":1,"holders":[]}}.
 *
 * <p>Invariants: {@code max >= 0}, {@code semaphore == max - holders.size()} (negative when
 * {@code max} was lowered below the number of holders, as in locksmith), no holder twice.
 * Values are immutable; {@link #lock} and {@link #unlock} return the next value or refuse.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"semaphore", "max", "holders"})
public record Semaphore(
        @JsonProperty("semaphore") int semaphore,
        @JsonProperty("max") int max,
        @JsonProperty("holders") List<String> holders) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    @JsonCreator
    public Semaphore {
        holders = holders == null ? List.of() : List.copyOf(holders);
        if (max < 0) {
            throw new IllegalArgumentException("max is " + max + "; it must be 0 or more");
        }
        Set<String> seen = new HashSet<>();
        for (String holder : holders) {
            if (holder == null || holder.isEmpty()) {
                throw new IllegalArgumentException("holders contains an empty id");
            }
            if (!seen.add(holder)) {
                throw new IllegalArgumentException("holder " + holder + " appears twice");
            }
        }
        if (semaphore != max - holders.size()) {
            throw new IllegalArgumentException("semaphore is " + semaphore + " but max " + max + " minus "
                    + holders.size() + " holder(s) is " + (max - holders.size()));
        }
    }

    /** locksmith's initial value: one slot, no holder. */
    public static Semaphore initial() {
        return new Semaphore(1, 1, List.of());
    }

    /** An empty semaphore with {@code max} slots. */
    public static Semaphore ofMax(int max) {
        return new Semaphore(max, max, List.of());
    }

    /**
     * Reads a stored value; a value that is not locksmith's JSON or breaks an invariant is a
     * {@link BadSemaphoreException} naming {@code key} and the problem.
     */
    public static Semaphore parse(String key, byte[] value) {
        try {
            Semaphore s = JSON.readValue(value, Semaphore.class);
            if (s == null) {
                throw new BadSemaphoreException(key, "it is null");
            }
            return s;
        } catch (BadSemaphoreException e) {
            throw e;
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            String why = cause == e ? e.getOriginalMessage() : cause.getMessage();
            throw new BadSemaphoreException(key, why + " (value: " + preview(value) + ")");
        } catch (java.io.IOException e) {
            throw new BadSemaphoreException(key, e.getMessage());
        }
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean holds(String id) {
        return holders.contains(id);
    }

    /**
     * Adds {@code id} as a holder. Refuses with {@link LockHeldException} (naming the holders) when
     * no slot is free. Taking a lock already held by {@code id} returns this value unchanged.
     */
    public Semaphore lock(String id) {
        if (holds(id)) {
            return this;
        }
        if (semaphore <= 0) {
            throw new LockHeldException(this);
        }
        List<String> next = new ArrayList<>(holders);
        next.add(id);
        return new Semaphore(semaphore - 1, max, next);
    }

    /** Removes {@code id}; refuses with {@link NotHolderException} if it does not hold the lock. */
    public Semaphore unlock(String id) {
        if (!holds(id)) {
            throw new NotHolderException(id, this);
        }
        return without(Set.of(id));
    }

    /** This value without the given holders (those not holding are ignored). */
    public Semaphore without(Set<String> ids) {
        List<String> next = new ArrayList<>(holders);
        next.removeAll(ids);
        return new Semaphore(max - next.size(), max, next);
    }

    /** locksmith's SetMax: the free count moves by the change in {@code max}; holders stay. */
    public Semaphore withMax(int newMax) {
        if (newMax < 0) {
            throw new IllegalArgumentException("max must be 0 or more, not " + newMax);
        }
        return new Semaphore(newMax - holders.size(), newMax, holders);
    }

    /** "a, b" or "nobody". */
    public String holdersText() {
        return holders.isEmpty() ? "nobody" : String.join(", ", holders);
    }

    private static String preview(byte[] value) {
        String s = new String(value, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
