package io.keel.agent.runtime;

import java.util.Map;
import java.util.Optional;

/**
 * Starts the main process of one unit: the {@code ExecStart=} command on the host, or the
 * {@code [Container]} through the Docker Engine.
 */
public interface MainLauncher {

    /**
     * Starts the main process with {@code environment} (the unit's resolved Environment= and
     * EnvironmentFile= values), its output to {@code output}.
     */
    RunningProcess start(Map<String, String> environment, OutputSink output) throws LaunchException;

    /**
     * A main process of this exact unit version already running from an earlier agent on this
     * machine (a container survives its agent), taken over with its output to {@code output};
     * empty if there is none.
     */
    Optional<RunningProcess> adopt(OutputSink output);
}
