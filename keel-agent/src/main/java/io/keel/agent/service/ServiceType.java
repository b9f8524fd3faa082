package io.keel.agent.service;

/** {@code Type=}: when the supervisor considers the unit started. */
public enum ServiceType {
    /** Active as soon as the main process is launched. */
    SIMPLE,
    /** As {@link #SIMPLE}; the launcher returns only once the program has been executed. */
    EXEC,
    /** Activating until every {@code ExecStart=} command has exited successfully. */
    ONESHOT;

    public String unitValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
