package io.keel.agent.supervise;

import io.keel.agent.runtime.Exit;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of a supervised unit, in systemd's words.
 *
 * @param unit the unit name
 * @param loadState always {@code loaded}
 * @param activeState inactive, activating, active, deactivating, failed, reloading
 * @param subState dead, start-pre, start, start-post, running, exited, reload, stop, stop-sigterm,
 *     stop-sigkill, stop-post, failed, auto-restart
 * @param result success, exit-code, signal, timeout, start-limit-hit, resources (a launch failure)
 * @param mainId the main process's id while there is one
 * @param since when {@code activeState} last changed
 * @param lastExit how the last main process (or oneshot ExecStart command) ended
 * @param message one line saying why the unit failed; empty when it did not
 * @param restarts automatic restarts so far
 */
public record UnitStatus(String unit, String loadState, String activeState, String subState, String result,
        Optional<String> mainId, Instant since, Optional<Exit> lastExit, String message, int restarts) {
}
