package io.keel.lifecycle.update;

/** update_engine's operations, as {@code update_engine_client -status} shows them. */
public enum UpdateState {
    IDLE,
    CHECKING_FOR_UPDATE,
    UPDATE_AVAILABLE,
    DOWNLOADING,
    VERIFYING,
    FINALIZING,
    UPDATED_NEED_REBOOT,
    REPORTING_ERROR_EVENT;

    /** The name update_engine prints: {@code UPDATE_STATUS_IDLE} and so on. */
    public String statusName() {
        return "UPDATE_STATUS_" + name();
    }
}
