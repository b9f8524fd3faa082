package io.keel.cluster.schedule;

import io.keel.cluster.schedule.Entry.State;
import io.keel.cluster.unit.Requirements;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One scheduling run over a snapshot of the cluster. Phases:
 *
 * <ol>
 *   <li>reserve the resources global units request on every machine they run on;
 *   <li>keep every current placement that is still valid, leaders before followers;
 *   <li>place the rest, most constrained first (pinned, then fewest machines allowed by
 *       MachineMetadata, then by name): a MachineOf leader together with its pending followers when
 *       one machine can take them all; followers where their leaders are.
 * </ol>
 */
final class Placement {

    /** Most constrained first: pinned, then fewest machines allowed by metadata, then name. */
    private static final Comparator<Entry> PLACEMENT_ORDER = (a, b) -> {
        if (a.pinned != b.pinned) {
            return a.pinned ? -1 : 1;
        }
        if (a.allowedMachines != b.allowedMachines) {
            return Integer.compare(a.allowedMachines, b.allowedMachines);
        }
        return Integer.compare(a.index, b.index);
    };

    private final Occupancy occupancy;
    private final Chooser chooser;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byName = new HashMap<>();
    private final List<Entry> active = new ArrayList<>();
    private final Map<String, String> current;
    private final PriorityQueue<Entry> ready = new PriorityQueue<>(PLACEMENT_ORDER);

    Placement(List<Machine> machines, List<Job> jobs, Map<String, String> current) {
        this.current = current;
        this.occupancy = new Occupancy(machines);
        this.chooser = new Chooser(occupancy);
        for (Job job : jobs.stream().sorted(Comparator.comparing(Job::name)).toList()) {
            if (byName.containsKey(job.name().value())) {
                continue;
            }
            Entry entry = new Entry(entries.size(), job);
            entries.add(entry);
            byName.put(entry.name, entry);
            if (!job.wantsMachine() || job.requirements().global()) {
                entry.state = State.IGNORED;
                continue;
            }
            active.add(entry);
            entry.spreadGroup = SpreadCounts.groupOf(job);
            entry.current = occupancy.byId(current.get(entry.name));
            if (job.name().isTemplate()) {
                entry.state = State.FAILED;
                entry.reason = "a template never runs itself; start an instance such as "
                        + job.name().prefix() + "@1." + job.name().suffix();
            }
        }
        Relations.resolve(active, byName);
    }

    Decisions run() {
        reserveForGlobalUnits();
        keepValidPlacements(leadersFirst());
        placePending();
        return decisions();
    }

    private void reserveForGlobalUnits() {
        for (Entry entry : entries) {
            Requirements r = entry.job.requirements();
            if (!r.global() || !entry.job.wantsMachine() || (r.cpuMillis() == 0 && r.memoryBytes() == 0)) {
                continue;
            }
            for (Slot slot : occupancy.slots) {
                if (Scheduler.eligible(entry.job, slot.machine)) {
                    occupancy.reserve(slot, r.cpuMillis(), r.memoryBytes());
                }
            }
        }
    }

    /** Active entries with every leader before its followers; MachineOf cycles are failed. */
    private List<Entry> leadersFirst() {
        Map<Entry, Integer> waiting = new HashMap<>();
        PriorityQueue<Entry> free = new PriorityQueue<>(Comparator.comparingInt(e -> e.index));
        for (Entry entry : active) {
            int n = 0;
            for (Entry leader : entry.leaders) {
                if (leader != null && leader.state != State.IGNORED) {
                    n++;
                }
            }
            waiting.put(entry, n);
            if (n == 0) {
                free.add(entry);
            }
        }
        List<Entry> order = new ArrayList<>(active.size());
        while (!free.isEmpty()) {
            Entry entry = free.poll();
            order.add(entry);
            for (Entry follower : entry.followers) {
                if (follower.state != State.IGNORED && waiting.merge(follower, -1, Integer::sum) == 0) {
                    free.add(follower);
                }
            }
        }
        if (order.size() < active.size()) {
            Set<Entry> ordered = new HashSet<>(order);
            List<Entry> stuck = active.stream().filter(e -> !ordered.contains(e)).toList();
            String names = String.join(", ", stuck.stream().map(e -> e.name).toList());
            for (Entry entry : stuck) {
                entry.state = State.FAILED;
                entry.reason = "MachineOf forms a cycle among " + names;
            }
        }
        return order;
    }

    private void keepValidPlacements(List<Entry> order) {
        for (Entry entry : order) {
            if (entry.state == State.PENDING && entry.current != null && stillValid(entry, entry.current)) {
                occupancy.attach(entry, entry.current);
                entry.state = State.KEPT;
            }
        }
    }

    private boolean stillValid(Entry entry, Slot slot) {
        Requirements r = entry.job.requirements();
        if (!r.machineIdMatches(slot.id()) || !r.metadataMatches(slot.machine.metadata())) {
            return false;
        }
        for (Entry leader : entry.leaders) {
            if (leader == null || leader.state != State.KEPT || leader.slot != slot) {
                return false;
            }
        }
        for (Entry replacer : entry.replacers) {
            Requirements rr = replacer.job.requirements();
            if (replacer.current == slot && rr.machineIdMatches(slot.id())
                    && rr.metadataMatches(slot.machine.metadata())) {
                return false;
            }
        }
        return !Fit.conflictsOnSlot(entry, slot, List.of()) && slot.fits(entry.cpu(), entry.memory());
    }

    private void placePending() {
        for (Entry entry : active) {
            entry.allowedMachines = occupancy.allowedMachines(entry.job.requirements());
        }
        for (Entry entry : active) {
            if (entry.state == State.PENDING && leadersDecided(entry)) {
                ready.add(entry);
            }
        }
        while (!ready.isEmpty()) {
            Entry entry = ready.poll();
            if (entry.decided()) {
                continue;
            }
            if (entry.leaders.length > 0) {
                placeFollower(entry);
            } else {
                placeLeader(entry);
            }
        }
    }

    private void placeFollower(Entry entry) {
        List<String> names = entry.job.requirements().machineOf();
        Slot target = null;
        for (int i = 0; i < entry.leaders.length; i++) {
            Entry leader = entry.leaders[i];
            String problem = null;
            if (leader == null) {
                problem = "MachineOf unit " + names.get(i) + " does not exist";
            } else if (leader.state == State.IGNORED) {
                problem = leader.job.requirements().global()
                        ? "MachineOf unit " + leader.name + " is global and has no single machine"
                        : "waiting for MachineOf unit " + leader.name + ", whose desired state is inactive";
            } else if (leader.state == State.FAILED) {
                problem = "waiting for MachineOf unit " + leader.name + " to be scheduled";
            } else if (target != null && leader.slot != target) {
                problem = "MachineOf units " + names.get(0) + " and " + leader.name + " are on different machines";
            }
            if (problem != null) {
                fail(entry, problem);
                return;
            }
            target = leader.slot;
        }
        Fit.Outcome outcome = Fit.check(List.of(entry), target);
        if (outcome.fits()) {
            commit(List.of(entry), target, outcome);
        } else {
            fail(entry, "cannot join MachineOf unit " + names.get(0) + " on machine " + target.id() + ": "
                    + Fit.label(outcome.failure(), entry) + " rules it out");
        }
    }

    private void placeLeader(Entry entry) {
        List<Entry> group = pendingFollowers(entry);
        if (!group.isEmpty()) {
            List<Entry> members = new ArrayList<>(group.size() + 1);
            members.add(entry);
            members.addAll(group);
            Chooser.Choice together = chooser.choose(members);
            if (together.slot() != null) {
                commit(members, together.slot(), together.outcome());
                return;
            }
        }
        List<Entry> alone = List.of(entry);
        Chooser.Choice choice = chooser.choose(alone);
        if (choice.slot() != null) {
            commit(alone, choice.slot(), choice.outcome());
        } else {
            fail(entry, choice.reason());
        }
    }

    /** Pending units that follow {@code leader}, directly or through each other, and nothing else. */
    private static List<Entry> pendingFollowers(Entry leader) {
        List<Entry> group = new ArrayList<>();
        Set<Entry> members = new HashSet<>(List.of(leader));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (int i = -1; i < group.size(); i++) {
                Entry member = i < 0 ? leader : group.get(i);
                for (Entry follower : member.followers) {
                    if (follower.state == State.PENDING && !members.contains(follower)
                            && members.containsAll(Arrays.asList(follower.leaders))) {
                        members.add(follower);
                        group.add(follower);
                        grew = true;
                    }
                }
            }
        }
        return group;
    }

    private void commit(List<Entry> members, Slot slot, Fit.Outcome outcome) {
        for (Entry evicted : outcome.evictions()) {
            occupancy.detach(evicted);
            evicted.state = State.PENDING;
            ready.add(evicted);
        }
        for (Entry member : members) {
            occupancy.attach(member, slot);
            member.state = State.PLACED;
        }
        for (Entry member : members) {
            release(member);
        }
    }

    private void fail(Entry entry, String reason) {
        entry.state = State.FAILED;
        entry.reason = reason;
        release(entry);
    }

    /** Queues the followers of a decided unit whose leaders are now all decided. */
    private void release(Entry decided) {
        for (Entry follower : decided.followers) {
            if (follower.state == State.PENDING && leadersDecided(follower)) {
                ready.add(follower);
            }
        }
    }

    private static boolean leadersDecided(Entry entry) {
        for (Entry leader : entry.leaders) {
            if (leader != null && !leader.decided()) {
                return false;
            }
        }
        return true;
    }

    private Decisions decisions() {
        Map<String, String> place = new TreeMap<>();
        Set<String> unschedule = new TreeSet<>();
        Map<String, String> unschedulable = new TreeMap<>();
        for (Entry entry : entries) {
            String was = current.get(entry.name);
            switch (entry.state) {
                case PLACED -> {
                    if (!entry.slot.id().equals(was)) {
                        place.put(entry.name, entry.slot.id());
                    }
                }
                case FAILED -> {
                    unschedulable.put(entry.name, entry.reason);
                    if (was != null) {
                        unschedule.add(entry.name);
                    }
                }
                case IGNORED -> {
                    if (was != null) {
                        unschedule.add(entry.name);
                    }
                }
                default -> {
                }
            }
        }
        for (Map.Entry<String, String> placement : current.entrySet()) {
            if (placement.getValue() != null && !byName.containsKey(placement.getKey())) {
                unschedule.add(placement.getKey());
            }
        }
        return new Decisions(place, unschedule, unschedulable);
    }
}
