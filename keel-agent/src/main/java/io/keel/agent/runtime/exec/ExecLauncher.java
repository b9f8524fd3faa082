package io.keel.agent.runtime.exec;

import io.keel.agent.runtime.LaunchException;
import io.keel.agent.runtime.ProcessLauncher;
import io.keel.agent.runtime.ProcessSpec;
import io.keel.agent.runtime.RunningProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts host processes with {@link ProcessBuilder}.
 *
 * <ul>
 *   <li>Each process runs in its own session and process group: it is started through
 *       {@code setsid} (util-linux) when that program is found, so {@link RunningProcess#signal}
 *       reaches every process of the group with {@code kill -SIG -- -PGID}. Without
 *       {@code setsid}, signals go to the process only; without {@code kill(1)}, only TERM and
 *       KILL are sent, through {@link ProcessHandle} to the process and its descendants.
 *   <li>stdin is {@code /dev/null}; stdout and stderr lines go to the spec's sink, from daemon
 *       threads, lines over 8 KiB cut.
 *   <li>argv[0] is an absolute path or a name looked up on the spec environment's PATH (or the
 *       agent's); a missing or non-executable program is a {@link LaunchException} naming it
 *       ({@code /bin/nope: No such file or directory}).
 *   <li>Exit codes 128+N are reported as death by signal N only when the agent sent N (see
 *       {@link HostProcess}).
 *   <li>{@link RunningProcess#cleanup()} SIGKILLs whatever is left of the process group.
 * </ul>
 */
public final class ExecLauncher implements ProcessLauncher {

    private final String setsid;
    private final String kill;
    private final Map<String, String> machineEnvironment;

    /** Finds {@code setsid} and {@code kill} on the agent's PATH. */
    public ExecLauncher() {
        this(find("setsid", HostEnvironment.path()).orElse(null), find("kill", HostEnvironment.path()).orElse(null));
    }

    /**
     * @param setsid path of {@code setsid}, or null to start processes in the agent's process group
     * @param kill path of {@code kill}, or null to signal through {@link ProcessHandle}
     */
    public ExecLauncher(String setsid, String kill) {
        this(setsid, kill, Map.of());
    }

    private ExecLauncher(String setsid, String kill, Map<String, String> machineEnvironment) {
        this.setsid = setsid;
        this.kill = kill;
        this.machineEnvironment = Map.copyOf(machineEnvironment);
    }

    /**
     * This launcher, with {@code variables} given to every process below the spec's environment
     * (such as {@code DOCKER_HOST} for this machine's engine, so units' {@code docker} commands reach it).
     */
    public ExecLauncher withMachineEnvironment(Map<String, String> variables) {
        return new ExecLauncher(setsid, kill, variables);
    }

    /** Whether processes get their own process group. */
    public boolean isolatesGroups() {
        return setsid != null;
    }

    @Override
    public RunningProcess launch(ProcessSpec spec) throws LaunchException {
        if (spec.argv().isEmpty()) {
            throw new LaunchException("empty command");
        }
        String program = spec.argv().get(0);
        String resolved = resolve(program, spec);
        List<String> command = new ArrayList<>();
        if (setsid != null) {
            command.add(setsid);
        }
        command.add(resolved);
        command.addAll(spec.argv().subList(1, spec.argv().size()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(machineEnvironment);
        pb.environment().putAll(spec.environment());
        if (spec.workingDirectory() != null) {
            if (!Files.isDirectory(spec.workingDirectory())) {
                throw new LaunchException("WorkingDirectory " + spec.workingDirectory() + ": No such directory");
            }
            pb.directory(spec.workingDirectory().toFile());
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new LaunchException(program + ": " + e.getMessage(), e);
        }
        String label = spec.unit() + "-" + process.pid();
        Thread out = LinePump.start("stdout-" + label, process.getInputStream(), false, spec.output());
        Thread err = LinePump.start("stderr-" + label, process.getErrorStream(), true, spec.output());
        return new HostProcess(process, setsid != null, kill, out, err);
    }

    private static String resolve(String program, ProcessSpec spec) throws LaunchException {
        if (program.isEmpty()) {
            throw new LaunchException("empty program name");
        }
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (!p.isAbsolute() && spec.workingDirectory() != null) {
                p = spec.workingDirectory().resolve(p);
            }
            if (!Files.exists(p)) {
                throw new LaunchException(program + ": No such file or directory");
            }
            if (Files.isDirectory(p) || !Files.isExecutable(p)) {
                throw new LaunchException(program + ": Permission denied");
            }
            return p.toString();
        }
        return find(program, HostEnvironment.path(spec.environment()))
                .orElseThrow(() -> new LaunchException(program + ": command not found on PATH"));
    }

    static Optional<String> find(String name, String path) {
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }
}
