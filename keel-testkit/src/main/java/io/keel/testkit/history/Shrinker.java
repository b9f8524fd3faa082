package io.keel.testkit.history;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Shrinks a non-linearizable key history to a small sub-history that is still not linearizable,
 * using only reductions that preserve linearizability (so the small history fails only because
 * the large one does):
 *
 * <ol>
 *   <li>cut at a time T: keep the operations invoked before T; those still running at T become
 *       unknown (writes) or are dropped (reads and failed compare-and-swaps);
 *   <li>drop reads and failed compare-and-swaps;
 *   <li>drop writes nobody in the remaining history observes, unless a failed compare-and-swap
 *       whose failure is unexplained (no observed current value) remains: that failure may need
 *       the write.
 * </ol>
 *
 * Each candidate is re-checked with a deadline; a check that times out counts as linearizable,
 * so shrinking never invents a failure. Stops when no single operation can be removed (the
 * result is 1-minimal) or when the budget runs out (the result is then smaller, not minimal).
 */
final class Shrinker {

    private final BooleanSupplier budgetExpired;
    private boolean minimal = true;

    Shrinker(BooleanSupplier budgetExpired) {
        this.budgetExpired = budgetExpired;
    }

    /** Whether the last {@link #shrink} result is 1-minimal (the budget did not run out). */
    boolean minimal() {
        return minimal;
    }

    List<KvModel.Item> shrink(List<KvModel.Item> failing) {
        minimal = true;
        List<KvModel.Item> current = shortestFailingPrefix(failing);
        boolean changed = true;
        while (changed && !budgetExpired.getAsBoolean()) {
            changed = false;
            List<KvModel.Item> fewer = removeWhileFailing(current, item -> !item.step().mutating());
            if (fewer.size() < current.size()) {
                current = fewer;
                changed = true;
            }
            if (!hasUnexplainedCasFailure(current)) {
                fewer = removeWhileFailing(current, item -> item.step().mutating());
                if (fewer.size() < current.size()) {
                    current = fewer;
                    changed = true;
                }
            }
        }
        if (budgetExpired.getAsBoolean()) {
            minimal = false;
        }
        return current;
    }

    /** Binary search for the earliest cut (after some operation's return) that still fails. */
    private List<KvModel.Item> shortestFailingPrefix(List<KvModel.Item> items) {
        TreeSet<Long> cutSet = new TreeSet<>();
        for (KvModel.Item item : items) {
            if (item.returnTime() != Long.MAX_VALUE) {
                cutSet.add(item.returnTime());
            }
        }
        List<Long> cuts = new ArrayList<>(cutSet);
        int lo = 0;
        int hi = cuts.size();
        List<KvModel.Item> best = items;
        while (lo < hi && !budgetExpired.getAsBoolean()) {
            int mid = (lo + hi) >>> 1;
            List<KvModel.Item> prefix = withCutOffWriters(cut(items, cuts.get(mid)), items);
            if (fails(prefix)) {
                best = prefix;
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return best;
    }

    /**
     * Adds back, from {@code all}, the writes of values that operations of {@code prefix} need
     * (and the writes those need). They were invoked after the cut, so after every known return
     * of the prefix: a failing prefix still fails with them, and reads the better for it.
     */
    private static List<KvModel.Item> withCutOffWriters(List<KvModel.Item> prefix, List<KvModel.Item> all) {
        List<KvModel.Item> result = new ArrayList<>(prefix);
        Set<Integer> written = written(result);
        boolean added = true;
        while (added) {
            added = false;
            Set<Integer> needed = new HashSet<>();
            for (KvModel.Item item : result) {
                needed.addAll(item.step().references());
            }
            for (KvModel.Item candidate : all) {
                int value = candidate.writes();
                if (value > 0 && needed.contains(value) && !written.contains(value)) {
                    result.add(candidate);
                    written.add(value);
                    added = true;
                }
            }
        }
        return result;
    }

    static List<KvModel.Item> cut(List<KvModel.Item> items, long time) {
        List<KvModel.Item> prefix = new ArrayList<>();
        for (KvModel.Item item : items) {
            if (item.invokeTime() > time) {
                continue;
            }
            if (item.returnTime() <= time) {
                prefix.add(item);
            } else {
                KvModel.Step unknown = item.step().asUnknown();
                if (unknown != null) {
                    boolean wasKnown = item.returnTime() != Long.MAX_VALUE;
                    prefix.add(new KvModel.Item(item.op(), unknown, item.invokeTime(), Long.MAX_VALUE,
                            item.cutPending() || wasKnown));
                }
            }
        }
        return prefix;
    }

    /**
     * Removes as many {@code removable} items as possible while the history keeps failing and
     * stays well formed, first in halves, then quarters, down to single items.
     */
    private List<KvModel.Item> removeWhileFailing(List<KvModel.Item> items, Predicate<KvModel.Item> removable) {
        List<KvModel.Item> current = new ArrayList<>(items);
        int candidates = (int) current.stream().filter(removable).count();
        for (int chunk = Math.max(1, candidates / 2); chunk >= 1; chunk = chunk == 1 ? 0 : Math.max(1, chunk / 2)) {
            int start = 0;
            while (!budgetExpired.getAsBoolean()) {
                List<KvModel.Item> chosen = nthChunk(current, removable, start, chunk);
                if (chosen.isEmpty()) {
                    break;
                }
                List<KvModel.Item> without = new ArrayList<>(current);
                without.removeAll(chosen);
                if (wellFormed(without, current) && fails(without)) {
                    current = without;
                } else {
                    start += chunk;
                }
            }
            if (budgetExpired.getAsBoolean()) {
                break;
            }
        }
        return current;
    }

    private static List<KvModel.Item> nthChunk(List<KvModel.Item> items, Predicate<KvModel.Item> removable,
            int start, int size) {
        List<KvModel.Item> chosen = new ArrayList<>(size);
        int index = 0;
        for (KvModel.Item item : items) {
            if (!removable.test(item)) {
                continue;
            }
            if (index >= start && chosen.size() < size) {
                chosen.add(item);
            }
            index++;
        }
        return chosen;
    }

    /**
     * Every value a remaining operation reads or compares against is still written by a
     * remaining operation, if it was written by one before the removal.
     */
    private static boolean wellFormed(List<KvModel.Item> after, List<KvModel.Item> before) {
        Set<Integer> writtenBefore = written(before);
        Set<Integer> writtenAfter = written(after);
        for (KvModel.Item item : after) {
            for (int value : item.step().references()) {
                if (value > 0 && writtenBefore.contains(value) && !writtenAfter.contains(value)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Set<Integer> written(List<KvModel.Item> items) {
        Set<Integer> written = new HashSet<>();
        for (KvModel.Item item : items) {
            written.add(item.writes());
        }
        return written;
    }

    private static boolean hasUnexplainedCasFailure(List<KvModel.Item> items) {
        return items.stream().anyMatch(item -> item.step() instanceof KvModel.Cas c
                && c.result() == KvModel.CasResult.FAILED && c.current() == KvModel.NONE);
    }

    private boolean fails(List<KvModel.Item> items) {
        List<LinearizationSearch.Timed<KvModel.Step>> timed = items.stream().map(KvModel.Item::timed).toList();
        return LinearizationSearch.check(timed, KvModel.INSTANCE, budgetExpired)
                == LinearizationSearch.Outcome.NOT_LINEARIZABLE;
    }
}
