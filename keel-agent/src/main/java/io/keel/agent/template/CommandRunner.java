package io.keel.agent.template;

import java.time.Duration;
import java.util.List;

/** Runs a template's check command and waits for it. */
public interface CommandRunner {

    /**
     * How a command ended.
     *
     * @param exitCode its exit status ({@code -1} when it could not be started or timed out)
     * @param output its stdout and stderr, interleaved, cut to a few KiB
     * @param timedOut whether it was killed for running past the timeout
     */
    record Outcome(int exitCode, String output, boolean timedOut) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }

        /** {@code exit status 1: <output>}, for reports. */
        public String describe() {
            String status = timedOut ? "timed out" : exitCode < 0 ? "could not run" : "exit status " + exitCode;
            String out = output.strip();
            return out.isEmpty() ? status : status + ": " + out;
        }
    }

    /** Runs {@code argv} to its end, killing it after {@code timeout}. Never throws for a failing command. */
    Outcome run(List<String> argv, Duration timeout);
}
