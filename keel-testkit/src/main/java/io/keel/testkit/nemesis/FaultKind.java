package io.keel.testkit.nemesis;

/** The faults a {@link Nemesis} injects. Each one is undone before the next begins. */
public enum FaultKind {
    /** kill -9 a random member; start it again when the fault ends. */
    KILL,
    /** kill -9 the current leader; start it again when the fault ends. */
    KILL_LEADER,
    /** SIGSTOP a random member; SIGCONT when the fault ends. */
    PAUSE,
    /** SIGSTOP the current leader; SIGCONT when the fault ends. */
    PAUSE_LEADER,
    /** Cut a random member off from all others (peer links only; clients still reach it). */
    ISOLATE,
    /** Cut the current leader off from all others. */
    ISOLATE_LEADER,
    /** Split the members into a random minority and the majority. */
    PARTITION,
    /** kill -9 every member; start them all again when the fault ends. */
    KILL_ALL
}
