package io.keel.lifecycle.locksmith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reboots by running a command ({@code systemctl reboot} by default); a non-zero exit is a failure. */
public final class CommandRebootAction implements RebootAction {

    public static final List<String> DEFAULT = List.of("systemctl", "reboot");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final List<String> command;

    public CommandRebootAction(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the reboot command is empty");
        }
        this.command = List.copyOf(command);
    }

    @Override
    public void reboot() throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("reboot command " + String.join(" ", command) + " did not exit within "
                    + TIMEOUT);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("reboot command " + String.join(" ", command) + " exited with status "
                    + p.exitValue());
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
