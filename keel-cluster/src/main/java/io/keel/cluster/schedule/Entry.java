package io.keel.cluster.schedule;

import java.util.ArrayList;
import java.util.List;

/** One job during a scheduling run, with its relations to other jobs resolved to indices. */
final class Entry {

    enum State {
        /** Not decided yet. */
        PENDING,
        /** Stays on its current machine. */
        KEPT,
        /** Placed on a (new) machine in this run. */
        PLACED,
        /** Should run but cannot be placed now. */
        FAILED,
        /** Not the scheduler's business: desired inactive, or global. */
        IGNORED
    }

    final int index;
    final Job job;
    final String name;
    /** Has a MachineID. */
    final boolean pinned;
    /** MachineOf targets, as jobs (null where no such job exists). */
    Entry[] leaders = new Entry[0];
    final List<Entry> followers = new ArrayList<>(0);
    /** Ids of the Conflicts patterns this job declares. */
    int[] conflictPatterns = new int[0];
    /** Ids of the Conflicts patterns (of any job) that match this job's name. */
    int[] conflictMatchedBy = new int[0];
    /** Jobs this one replaces, and jobs that replace this one (circular pairs dropped). */
    List<Entry> replacees = List.of();
    List<Entry> replacers = List.of();
    /** Template + spread key, for jobs with Spread; null otherwise. */
    String spreadGroup;

    /** How many machines its MachineID or MachineMetadata allows; orders placement. */
    int allowedMachines;
    Slot current;
    Slot slot;
    State state = State.PENDING;
    String reason;

    Entry(int index, Job job) {
        this.index = index;
        this.job = job;
        this.name = job.name().value();
        this.pinned = job.requirements().machineId().isPresent();
    }

    long cpu() {
        return job.requirements().cpuMillis();
    }

    long memory() {
        return job.requirements().memoryBytes();
    }

    boolean decided() {
        return state != State.PENDING;
    }

    boolean onMachine() {
        return state == State.KEPT || state == State.PLACED;
    }

    /** Kept units outside any MachineOf relation can be moved away by a unit that replaces them. */
    boolean evictable() {
        return state == State.KEPT && leaders.length == 0 && followers.isEmpty();
    }


    @Override
    public String toString() {
        return name;
    }
}
