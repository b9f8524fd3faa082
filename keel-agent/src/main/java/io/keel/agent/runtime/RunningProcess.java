package io.keel.agent.runtime;

import java.util.concurrent.CompletableFuture;

/** A unit's process on this machine: a host process or a container. */
public interface RunningProcess {

    /** What systemctl status shows: {@code 1234} (a PID) or the container's short id. */
    String id();

    /** Completes once when the process or container has ended. */
    CompletableFuture<Exit> exit();

    /** Sends a signal; does nothing if it has already ended. Never throws for a dead process. */
    void signal(Signal signal);

    /**
     * Frees what is left after the exit (removes an exited container). Idempotent; never throws
     * (what cannot be freed now is left to be cleaned up later).
     */
    void cleanup();
}
