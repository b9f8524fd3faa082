package io.keel.lifecycle.update;

import java.time.Instant;

/** A boot that fell back to the other slot because the preferred one used up its tries. */
public record Rollback(SlotName from, String fromVersion, SlotName to, String toVersion, Instant at) {

    /** One line for status output and logs. */
    public String describe() {
        return "rolled back from slot " + from + " (" + label(fromVersion) + ") to slot " + to + " (" + label(toVersion)
                + ") at " + at + ": " + from + " did not become healthy before its tries ran out";
    }

    private static String label(String v) {
        return v == null ? "base" : v;
    }
}
