package io.keel.agent.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One host command to run for a unit.
 *
 * @param unit the unit it belongs to (for labels and messages)
 * @param argv the program and its arguments (argv[0] is an absolute path or looked up on PATH)
 * @param environment the full environment of the process
 * @param workingDirectory where it runs, or null for the agent's own
 * @param output where its stdout and stderr lines go
 */
public record ProcessSpec(String unit, List<String> argv, Map<String, String> environment, Path workingDirectory,
        OutputSink output) {
    public ProcessSpec {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }
}
