package io.keel.agent.local;

import java.util.Map;
import java.util.Optional;

/**
 * Whether a container's root filesystem is read-only. Containers are immutable by default: what
 * may change is declared (volumes, tmpfs paths, {@code ReadOnly=false}). The store overrides the
 * unit file, cluster-wide at {@code /keel/policy/rootfs} and per unit at
 * {@code /keel/policy/rootfs/<unit>}, each {@code immutable} or {@code mutable}:
 *
 * <pre>
 * /keel/policy/rootfs/&lt;unit&gt;  &gt;  /keel/policy/rootfs  &gt;  ReadOnly= in the unit  &gt;  immutable
 * </pre>
 *
 * No I/O: the store's values are passed in.
 */
public final class RootfsPolicy {

    public static final String CLUSTER_KEY = "/keel/policy/rootfs";
    public static final String UNIT_PREFIX = CLUSTER_KEY + "/";

    /** The outcome and why, as {@code keel status} shows it. */
    public record Decision(boolean readOnly, String reason) {
        public String describe() {
            return (readOnly ? "read-only" : "writable") + " (" + reason + ")";
        }
    }

    private RootfsPolicy() {}

    public static String unitKey(String unit) {
        return UNIT_PREFIX + unit;
    }

    /**
     * @param policies the store's keys under {@link #CLUSTER_KEY} (key to value); empty if unknown
     * @param declared the unit's {@code ReadOnly=}, if it has one
     */
    public static Decision decide(String unit, Optional<Boolean> declared, Map<String, String> policies) {
        String perUnit = policies.get(unitKey(unit));
        if (perUnit != null) {
            return fromStore(unitKey(unit), perUnit).orElseGet(() -> fallback(declared, policies,
                    "ignoring " + unitKey(unit) + "='" + perUnit + "'"));
        }
        return fallback(declared, policies, null);
    }

    private static Decision fallback(Optional<Boolean> declared, Map<String, String> policies, String note) {
        String cluster = policies.get(CLUSTER_KEY);
        if (cluster != null) {
            Optional<Decision> d = fromStore(CLUSTER_KEY, cluster);
            if (d.isPresent()) {
                return note == null ? d.get() : new Decision(d.get().readOnly(), d.get().reason() + "; " + note);
            }
            note = (note == null ? "" : note + "; ") + "ignoring " + CLUSTER_KEY + "='" + cluster + "'";
        }
        Decision base = declared.map(ro -> new Decision(ro, "ReadOnly=" + (ro ? "true" : "false") + " in the unit"))
                .orElse(new Decision(true, "containers are immutable by default"));
        return note == null ? base : new Decision(base.readOnly(), base.reason() + "; " + note
                + ": the value must be immutable or mutable");
    }

    private static Optional<Decision> fromStore(String key, String value) {
        return switch (value.strip()) {
            case "immutable" -> Optional.of(new Decision(true, key + " = immutable"));
            case "mutable" -> Optional.of(new Decision(false, key + " = mutable"));
            default -> Optional.empty();
        };
    }
}
