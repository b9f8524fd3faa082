package io.keel.agent.supervise;

import io.keel.agent.runtime.exec.HostEnvironment;
import io.keel.agent.service.EnvironmentFile;
import io.keel.agent.service.ServiceSpec;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A unit's environment as systemd builds it: a base (the store's {@code EnvironmentKeys=}), then
 * {@code Environment=}, then {@code EnvironmentFile=}, each overriding the one before. Read again at
 * every start.
 */
final class UnitEnvironment {
    private final ServiceSpec spec;
    private volatile Supplier<Map<String, String>> base = Map::of;

    UnitEnvironment(ServiceSpec spec) {
        this.spec = spec;
    }

    void setBase(Supplier<Map<String, String>> source) {
        this.base = source;
    }

    /** The main process's environment; fails naming the environment file that cannot be read. */
    Map<String, String> resolve() throws IOException {
        Map<String, String> env = new LinkedHashMap<>(base.get());
        env.putAll(spec.environment());
        for (EnvironmentFile file : spec.environmentFiles()) {
            try {
                env.putAll(file.read());
            } catch (NoSuchFileException e) {
                throw new IOException("EnvironmentFile=" + file.path() + ": No such file", e);
            } catch (IOException e) {
                throw new IOException("EnvironmentFile=" + file.path() + ": " + e.getMessage(), e);
            }
        }
        return Map.copyOf(env);
    }

    /** A control process's environment: the host PATH, the unit's variables and $MAINPID if given. */
    static Map<String, String> forControl(Map<String, String> unitEnvironment, Optional<String> mainPid) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", HostEnvironment.path());
        env.putAll(unitEnvironment);
        mainPid.ifPresent(pid -> env.put("MAINPID", pid));
        return env;
    }
}
