package io.keel.cluster.schedule;

import io.keel.cluster.unit.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the relations between jobs once per run: MachineOf leaders, which Conflicts patterns
 * each job declares and is matched by, and who replaces whom. Patterns are looked up by their
 * literal prefix, so matching costs about (name length) map lookups per job rather than one glob
 * match per pattern.
 */
final class Relations {

    private final List<Glob> conflictPatterns = new ArrayList<>();

    private Relations() {
    }

    /** Fills in the relation fields of every active entry. */
    static Relations resolve(List<Entry> active, Map<String, Entry> byName) {
        Relations relations = new Relations();
        relations.resolveLeaders(active, byName);
        relations.resolveConflicts(active);
        resolveReplaces(active);
        return relations;
    }

    Glob conflictPattern(int id) {
        return conflictPatterns.get(id);
    }

    private void resolveLeaders(List<Entry> active, Map<String, Entry> byName) {
        for (Entry entry : active) {
            List<String> names = entry.job.requirements().machineOf();
            entry.leaders = new Entry[names.size()];
            for (int i = 0; i < names.size(); i++) {
                Entry leader = byName.get(names.get(i));
                entry.leaders[i] = leader;
                if (leader != null) {
                    leader.followers.add(entry);
                }
            }
        }
    }

    private void resolveConflicts(List<Entry> active) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Entry entry : active) {
            List<String> patterns = entry.job.requirements().conflicts();
            entry.conflictPatterns = new int[patterns.size()];
            for (int i = 0; i < patterns.size(); i++) {
                entry.conflictPatterns[i] = ids.computeIfAbsent(patterns.get(i), p -> {
                    conflictPatterns.add(Glob.compile(p));
                    return conflictPatterns.size() - 1;
                });
            }
            Arrays.sort(entry.conflictPatterns);
        }
        PrefixIndex index = new PrefixIndex(conflictPatterns);
        for (Entry entry : active) {
            entry.conflictMatchedBy = index.matching(entry.name).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static void resolveReplaces(List<Entry> active) {
        List<Glob> patterns = new ArrayList<>();
        List<Entry> owners = new ArrayList<>();
        for (Entry entry : active) {
            for (String pattern : entry.job.requirements().replaces()) {
                patterns.add(Glob.compile(pattern));
                owners.add(entry);
            }
        }
        if (patterns.isEmpty()) {
            return;
        }
        PrefixIndex index = new PrefixIndex(patterns);
        Map<Entry, Set<Entry>> replacees = new HashMap<>();
        for (Entry entry : active) {
            for (int id : index.matching(entry.name)) {
                Entry owner = owners.get(id);
                if (owner != entry) {
                    replacees.computeIfAbsent(owner, o -> new HashSet<>()).add(entry);
                }
            }
        }
        Map<Entry, List<Entry>> replacers = new HashMap<>();
        for (Map.Entry<Entry, Set<Entry>> e : replacees.entrySet()) {
            Entry owner = e.getKey();
            List<Entry> kept = new ArrayList<>();
            for (Entry replaced : e.getValue()) {
                boolean circular = replacees.getOrDefault(replaced, Set.of()).contains(owner);
                if (!circular) {
                    kept.add(replaced);
                    replacers.computeIfAbsent(replaced, r -> new ArrayList<>()).add(owner);
                }
            }
            kept.sort((a, b) -> Integer.compare(a.index, b.index));
            owner.replacees = List.copyOf(kept);
        }
        replacers.forEach((replaced, list) -> {
            list.sort((a, b) -> Integer.compare(a.index, b.index));
            replaced.replacers = List.copyOf(list);
        });
    }

    /** Globs indexed by literal prefix. */
    private static final class PrefixIndex {
        private final List<Glob> patterns;
        private final Map<String, List<Integer>> byPrefix = new HashMap<>();
        private final int longestPrefix;

        PrefixIndex(List<Glob> patterns) {
            this.patterns = patterns;
            int longest = 0;
            for (int id = 0; id < patterns.size(); id++) {
                String prefix = patterns.get(id).literalPrefix();
                byPrefix.computeIfAbsent(prefix, p -> new ArrayList<>()).add(id);
                longest = Math.max(longest, prefix.length());
            }
            this.longestPrefix = longest;
        }

        /** Ids of the patterns that match {@code name}, ascending. */
        List<Integer> matching(String name) {
            List<Integer> out = new ArrayList<>(0);
            int limit = Math.min(name.length(), longestPrefix);
            for (int length = 0; length <= limit; length++) {
                List<Integer> candidates = byPrefix.get(name.substring(0, length));
                if (candidates == null) {
                    continue;
                }
                for (int id : candidates) {
                    if (patterns.get(id).matches(name)) {
                        out.add(id);
                    }
                }
            }
            out.sort(null);
            return out;
        }
    }
}
