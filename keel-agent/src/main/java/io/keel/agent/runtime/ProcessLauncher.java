package io.keel.agent.runtime;

/** Starts host processes (ExecStart= and friends). */
public interface ProcessLauncher {
    RunningProcess launch(ProcessSpec spec) throws LaunchException;
}
