package io.keel.cluster.schedule;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For each spread group (a template and its Spread key), how many of its instances are on machines
 * with each value of the key.
 */
final class SpreadCounts {

    private final Map<String, Map<String, Integer>> counts = new HashMap<>();

    /** The group of an instance with {@code Spread=key}, or null when it has no Spread. */
    static String groupOf(Job job) {
        return job.requirements().spread()
                .map(key -> job.name().template().map(t -> t.value()).orElse(job.name().value()) + "\0" + key)
                .orElse(null);
    }

    static String keyOf(Entry entry) {
        return entry.job.requirements().spread().orElseThrow();
    }

    void add(Entry entry, Slot slot, int delta) {
        if (entry.spreadGroup == null) {
            return;
        }
        String value = slot.machine.metadata().get(keyOf(entry));
        if (value != null) {
            counts.computeIfAbsent(entry.spreadGroup, g -> new HashMap<>()).merge(value, delta, Integer::sum);
        }
    }

    /** Instances of the group on machines whose key has this value. */
    int count(String group, String value) {
        return counts.getOrDefault(group, Map.of()).getOrDefault(value, 0);
    }

    /** The smallest count among {@code values} (0 when there are none). */
    int min(String group, List<String> values) {
        int min = values.isEmpty() ? 0 : Integer.MAX_VALUE;
        for (String value : values) {
            min = Math.min(min, count(group, value));
        }
        return min;
    }
}
