package io.keel.agent.runtime.exec;

import io.keel.agent.runtime.LaunchException;
import io.keel.agent.runtime.MainLauncher;
import io.keel.agent.runtime.OutputSink;
import io.keel.agent.runtime.ProcessLauncher;
import io.keel.agent.runtime.ProcessSpec;
import io.keel.agent.runtime.RunningProcess;
import io.keel.agent.service.ExecCommand;
import io.keel.agent.service.ServiceSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The main process of a {@code [Service]} {@code ExecStart=} unit, started on the host. Variables
 * in the command are expanded from the environment; PATH is added from the agent when the unit
 * does not set it.
 *
 * <p>{@link #adopt} always returns empty: a host process belongs to the agent that started it
 * (it dies with it or is orphaned to init), so a new agent starts the unit afresh.
 */
public final class ExecMainLauncher implements MainLauncher {

    private final String unit;
    private final ExecCommand command;
    private final Path workingDirectory;
    private final ProcessLauncher launcher;

    public ExecMainLauncher(String unit, ExecCommand command, Path workingDirectory, ProcessLauncher launcher) {
        this.unit = unit;
        this.command = command;
        this.workingDirectory = workingDirectory;
        this.launcher = launcher;
    }

    /** The launcher for the single {@code ExecStart=} of a simple or exec service. */
    public static ExecMainLauncher of(String unit, ServiceSpec spec, ProcessLauncher launcher) {
        if (spec.execStart().size() != 1) {
            throw new IllegalArgumentException(unit + " does not have exactly one ExecStart= command");
        }
        return new ExecMainLauncher(unit, spec.execStart().get(0), spec.workingDirectory().orElse(null), launcher);
    }

    @Override
    public RunningProcess start(Map<String, String> environment, OutputSink output) throws LaunchException {
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("PATH", HostEnvironment.path());
        return launcher.launch(new ProcessSpec(unit, command.argv(env), env, workingDirectory, output));
    }

    @Override
    public Optional<RunningProcess> adopt(OutputSink output) {
        return Optional.empty();
    }
}
