package io.keel.agent.service;

import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitFileException;
import io.keel.cluster.unit.UnitOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the supervisor runs for a unit: its {@code [Service]} section (and the {@code StartLimit*}
 * options of {@code [Unit]}), with systemd's defaults.
 *
 * <p>Zero {@link Duration}s in {@code timeoutStart}, {@code timeoutStop} and
 * {@code startLimitInterval} mean "no limit" (systemd's {@code 0} and {@code infinity}).
 *
 * <p>Specifiers ({@code %n}, {@code %i}, ...) are not expanded here: text is kept as written, so a
 * caller that wants them expands the unit's options before parsing.
 *
 * @param type {@code Type=}, default simple
 * @param execStartPre {@code ExecStartPre=} commands in order
 * @param execStart {@code ExecStart=}: one command, or several for oneshot; empty for a container unit
 * @param execStartPost {@code ExecStartPost=}
 * @param execReload {@code ExecReload=}
 * @param execStop {@code ExecStop=}
 * @param execStopPost {@code ExecStopPost=}
 * @param container the {@code [Container]} section, the main process of a container unit
 * @param restart {@code Restart=}, default no
 * @param restartSec {@code RestartSec=}, default 100ms
 * @param startLimitInterval {@code StartLimitIntervalSec=}, default 10s; zero disables the limit
 * @param startLimitBurst {@code StartLimitBurst=}, default 5
 * @param timeoutStart {@code TimeoutStartSec=} (or {@code TimeoutSec=}), default 90s (none for oneshot)
 * @param timeoutStop {@code TimeoutStopSec=} (or {@code TimeoutSec=}), default 90s
 * @param environment {@code Environment=} assignments, later ones winning
 * @param environmentFiles {@code EnvironmentFile=} files in order, read at start
 * @param workingDirectory {@code WorkingDirectory=}, absolute
 * @param remainAfterExit {@code RemainAfterExit=}
 */
public record ServiceSpec(ServiceType type, List<ExecCommand> execStartPre, List<ExecCommand> execStart,
        List<ExecCommand> execStartPost, List<ExecCommand> execReload, List<ExecCommand> execStop,
        List<ExecCommand> execStopPost, Optional<ContainerSpec> container, RestartPolicy restart, Duration restartSec,
        Duration startLimitInterval, int startLimitBurst, Duration timeoutStart, Duration timeoutStop,
        Map<String, String> environment, List<EnvironmentFile> environmentFiles, Optional<Path> workingDirectory,
        boolean remainAfterExit) {

    public static final String SERVICE = "Service";
    public static final String UNIT = "Unit";
    public static final String CONTAINER = "Container";

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration DEFAULT_RESTART_SEC = Duration.ofMillis(100);
    public static final Duration DEFAULT_START_LIMIT_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_START_LIMIT_BURST = 5;

    private static final Set<String> KEYS = Set.of("Type", "ExecStartPre", "ExecStart", "ExecStartPost",
            "ExecReload", "ExecStop", "ExecStopPost", "Restart", "RestartSec", "StartLimitIntervalSec",
            "StartLimitInterval", "StartLimitBurst", "TimeoutStartSec", "TimeoutStopSec", "TimeoutSec",
            "Environment", "EnvironmentFile", "WorkingDirectory", "RemainAfterExit", "KillMode");

    private static final Set<String> SYSTEMD_KEYS = Set.of("User", "Group", "DynamicUser", "PIDFile", "BusName",
            "NotifyAccess", "WatchdogSec", "KillSignal", "SendSIGKILL", "SendSIGHUP", "SuccessExitStatus",
            "RestartPreventExitStatus", "RestartForceExitStatus", "StandardInput", "StandardOutput",
            "StandardError", "SyslogIdentifier", "Nice", "UMask", "RootDirectory", "PrivateTmp", "ProtectSystem",
            "ProtectHome", "NoNewPrivileges", "CPUQuota", "MemoryMax", "MemoryLimit", "TasksMax",
            "LimitNOFILE", "LimitNPROC", "LimitCORE", "LimitMEMLOCK", "Slice", "Delegate", "GuessMainPID",
            "PermissionsStartOnly", "RuntimeDirectory", "StateDirectory", "LogsDirectory", "ExecCondition",
            "TimeoutAbortSec", "RestartSteps", "RestartMaxDelaySec", "OOMPolicy", "ExitType");

    public ServiceSpec {
        execStartPre = List.copyOf(execStartPre);
        execStart = List.copyOf(execStart);
        execStartPost = List.copyOf(execStartPost);
        execReload = List.copyOf(execReload);
        execStop = List.copyOf(execStop);
        execStopPost = List.copyOf(execStopPost);
        environment = Map.copyOf(environment);
        environmentFiles = List.copyOf(environmentFiles);
    }

    /**
     * Reads the {@code [Service]} and {@code [Container]} sections and the {@code StartLimit*}
     * options of {@code [Unit]}; other sections are not looked at.
     *
     * <p>Keys of {@code [Service]} that Keel does not implement are refused, including well-known
     * systemd ones such as {@code User=} or {@code LimitNOFILE=} (the message says it is a systemd
     * option Keel does not support): a unit never silently runs with less isolation or other limits
     * than its author wrote. Exec prefixes {@code -} and {@code :} are supported; {@code @},
     * {@code +}, {@code !} and {@code !!} are refused. {@code KillMode=} accepts only
     * {@code control-group}, the default: every process of the unit's process group is signalled.
     *
     * @throws UnitFileException naming the section, key and problem
     */
    public static ServiceSpec parse(UnitFile file) {
        for (UnitOption option : file.options()) {
            if (option.section().equals(SERVICE) && !KEYS.contains(option.name())) {
                if (SYSTEMD_KEYS.contains(option.name())) {
                    throw new UnitFileException("[Service] " + option.name()
                            + "= is a systemd option Keel does not support; remove it");
                }
                throw new UnitFileException("[Service] unknown key " + option.name() + "=");
            }
        }
        boolean hasContainer = file.sections().contains(CONTAINER);
        ServiceType type = file.value(SERVICE, "Type").map(ServiceSpec::type).orElse(ServiceType.SIMPLE);
        List<ExecCommand> execStart = exec(file, "ExecStart");
        if (hasContainer && !execStart.isEmpty()) {
            throw new UnitFileException("[Service] ExecStart= is not allowed in a unit with a [Container] section:"
                    + " the container is the main process");
        }
        if (!hasContainer && execStart.isEmpty()) {
            throw new UnitFileException("[Service] ExecStart= is missing (a unit needs ExecStart= or a [Container] section)");
        }
        if (type != ServiceType.ONESHOT && execStart.size() > 1) {
            throw new UnitFileException("[Service] ExecStart= has " + execStart.size()
                    + " commands; only Type=oneshot may have more than one");
        }
        RestartPolicy restart = file.value(SERVICE, "Restart").map(ServiceSpec::restart).orElse(RestartPolicy.NO);
        if (type == ServiceType.ONESHOT && (restart == RestartPolicy.ALWAYS || restart == RestartPolicy.ON_SUCCESS)) {
            throw new UnitFileException("[Service] Restart=" + restart.unitValue()
                    + " is not allowed for Type=oneshot (use on-failure, on-abnormal or on-abort)");
        }
        Duration restartSec = span(file, SERVICE, "RestartSec", false).orElse(DEFAULT_RESTART_SEC);
        Duration interval = Optional.ofNullable(startLimitInterval(file, SERVICE))
                .or(() -> Optional.ofNullable(startLimitInterval(file, UNIT)))
                .orElse(DEFAULT_START_LIMIT_INTERVAL);
        int burst = burst(file, SERVICE).or(() -> burst(file, UNIT)).orElse(DEFAULT_START_LIMIT_BURST);
        Optional<Duration> timeoutBoth = timeout(file, "TimeoutSec");
        Duration timeoutStart = timeout(file, "TimeoutStartSec").or(() -> timeoutBoth)
                .orElse(type == ServiceType.ONESHOT ? Duration.ZERO : DEFAULT_TIMEOUT);
        Duration timeoutStop = timeout(file, "TimeoutStopSec").or(() -> timeoutBoth).orElse(DEFAULT_TIMEOUT);
        file.value(SERVICE, "KillMode").ifPresent(mode -> {
            if (!mode.strip().equals("control-group")) {
                throw new UnitFileException("[Service] KillMode=" + mode
                        + " is not supported: Keel always signals the unit's whole process group (control-group)");
            }
        });
        Optional<Path> workingDirectory = file.value(SERVICE, "WorkingDirectory").map(String::strip).map(dir -> {
            if (!dir.startsWith("/")) {
                throw new UnitFileException("[Service] WorkingDirectory=" + dir + " must be an absolute path");
            }
            return Path.of(dir);
        });
        boolean remain = file.value(SERVICE, "RemainAfterExit")
                .map(v -> bool(SERVICE, "RemainAfterExit", v)).orElse(false);
        Optional<ContainerSpec> container = hasContainer ? Optional.of(ContainerSpecs.parse(file)) : Optional.empty();
        return new ServiceSpec(type, exec(file, "ExecStartPre"), execStart, exec(file, "ExecStartPost"),
                exec(file, "ExecReload"), exec(file, "ExecStop"), exec(file, "ExecStopPost"), container, restart,
                restartSec, interval, burst, timeoutStart, timeoutStop, environment(file, SERVICE),
                environmentFiles(file), workingDirectory, remain);
    }

    /** The environment of a section: every {@code Environment=} assignment, later ones winning. */
    static Map<String, String> environment(UnitFile file, String section) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : file.values(section, "Environment")) {
            List<String> words;
            try {
                words = ExecLines.words(line);
            } catch (IllegalArgumentException e) {
                throw new UnitFileException("[" + section + "] Environment=" + line + ": " + e.getMessage());
            }
            for (String word : words) {
                int eq = word.indexOf('=');
                if (eq <= 0 || !ExecCommand.isName(word, 0, eq)) {
                    throw new UnitFileException("[" + section + "] Environment=" + line + ": \"" + word
                            + "\" is not a NAME=VALUE assignment");
                }
                env.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return env;
    }

    public static boolean bool(String section, String key, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "yes", "y", "true", "t", "on" -> true;
            case "0", "no", "n", "false", "f", "off" -> false;
            default -> throw new UnitFileException("[" + section + "] " + key + "=" + value
                    + " is not a boolean (yes/no, true/false, on/off, 1/0)");
        };
    }

    /** A time span option; empty if absent; {@code infinity} is refused unless allowed (then zero). */
    static Optional<Duration> span(UnitFile file, String section, String key, boolean infinityAllowed) {
        Optional<String> value = file.value(section, key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<Duration> d = TimeSpans.parse(value.get());
            if (d.isEmpty() && !infinityAllowed) {
                throw new UnitFileException("[" + section + "] " + key + "=infinity is not allowed here");
            }
            return Optional.of(d.orElse(Duration.ZERO));
        } catch (IllegalArgumentException e) {
            throw new UnitFileException("[" + section + "] " + key + "=" + value.get() + ": " + e.getMessage());
        }
    }

    private static Optional<Duration> timeout(UnitFile file, String key) {
        return span(file, SERVICE, key, true);
    }

    private static Duration startLimitInterval(UnitFile file, String section) {
        return span(file, section, "StartLimitIntervalSec", true)
                .or(() -> span(file, section, "StartLimitInterval", true)).orElse(null);
    }

    private static Optional<Integer> burst(UnitFile file, String section) {
        return file.value(section, "StartLimitBurst").map(v -> {
            try {
                int n = Integer.parseInt(v.strip());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UnitFileException("[" + section + "] StartLimitBurst=" + v + " is not a non-negative integer");
            }
        });
    }

    private static ServiceType type(String value) {
        return switch (value.strip()) {
            case "simple" -> ServiceType.SIMPLE;
            case "exec" -> ServiceType.EXEC;
            case "oneshot" -> ServiceType.ONESHOT;
            case "forking", "notify", "notify-reload", "dbus", "idle" -> throw new UnitFileException("[Service] Type="
                    + value + " is not supported (supported: simple, exec, oneshot)");
            default -> throw new UnitFileException("[Service] Type=" + value
                    + " is not a service type (supported: simple, exec, oneshot)");
        };
    }

    private static RestartPolicy restart(String value) {
        try {
            return RestartPolicy.ofUnitValue(value.strip());
        } catch (IllegalArgumentException e) {
            throw new UnitFileException("[Service] Restart=" + value
                    + " is not valid (no, on-success, on-failure, on-abnormal, on-abort, always)");
        }
    }

    private static List<EnvironmentFile> environmentFiles(UnitFile file) {
        List<EnvironmentFile> files = new ArrayList<>();
        for (String value : file.values(SERVICE, "EnvironmentFile")) {
            String v = value.strip();
            boolean optional = v.startsWith("-");
            String path = optional ? v.substring(1) : v;
            if (!path.startsWith("/")) {
                throw new UnitFileException("[Service] EnvironmentFile=" + value + " must be an absolute path");
            }
            files.add(new EnvironmentFile(Path.of(path), optional));
        }
        return files;
    }

    private static List<ExecCommand> exec(UnitFile file, String key) {
        List<ExecCommand> commands = new ArrayList<>();
        for (String line : file.values(SERVICE, key)) {
            try {
                commands.addAll(execLine(line));
            } catch (IllegalArgumentException e) {
                throw new UnitFileException("[Service] " + key + "=" + line + ": " + e.getMessage());
            }
        }
        return commands;
    }

    /** Parses one Exec line: its commands with their prefixes. */
    static List<ExecCommand> execLine(String line) {
        List<ExecCommand> out = new ArrayList<>();
        for (List<String> words : ExecLines.commands(line)) {
            String first = words.get(0);
            boolean ignore = false;
            boolean expand = true;
            int p = 0;
            while (p < first.length() && "-@+!:".indexOf(first.charAt(p)) >= 0) {
                char c = first.charAt(p);
                switch (c) {
                    case '-' -> ignore = true;
                    case ':' -> expand = false;
                    case '@' -> throw new IllegalArgumentException(
                            "the \"@\" prefix (argv[0] override) is not supported");
                    default -> throw new IllegalArgumentException("the \"" + c
                            + "\" prefix (privileged execution) is not supported");
                }
                p++;
            }
            String program = first.substring(p);
            if (program.isEmpty()) {
                throw new IllegalArgumentException("no program after the prefix");
            }
            if (!program.startsWith("/") && program.contains("/")) {
                throw new IllegalArgumentException("the program \"" + program
                        + "\" must be an absolute path or a name looked up on PATH");
            }
            List<String> argv = new ArrayList<>(words);
            argv.set(0, program);
            out.add(new ExecCommand(argv, ignore, expand));
        }
        return out;
    }
}
