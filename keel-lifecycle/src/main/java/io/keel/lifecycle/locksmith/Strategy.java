package io.keel.lifecycle.locksmith;

import java.util.Locale;

/** locksmith's reboot strategies. */
public enum Strategy {
    /** Reboot only while holding a slot of the cluster's reboot semaphore. */
    ETCD_LOCK("etcd-lock"),
    /** Reboot as soon as needed (inside the window), without the lock. */
    REBOOT("reboot"),
    /** Never reboot. */
    OFF("off");

    private final String name;

    Strategy(String name) {
        this.name = name;
    }

    public String text() {
        return name;
    }

    /**
     * Parses {@code REBOOT_STRATEGY}. locksmith's {@code best-effort} (and an empty value) means
     * etcd-lock when a store is configured, which a Keel node always has; {@code etcd_lock} and
     * {@code none} are accepted as aliases.
     */
    public static Strategy parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "etcd-lock", "etcd_lock", "best-effort", "best_effort", "" -> ETCD_LOCK;
            case "reboot" -> REBOOT;
            case "off", "none" -> OFF;
            default -> throw new IllegalArgumentException("reboot strategy '" + text
                    + "' is unknown: use etcd-lock, reboot or off (or best-effort)");
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
