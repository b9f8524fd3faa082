package io.keel.agent.runtime.exec;

import java.util.Map;

/** The parts of the agent's own environment that unit processes get. */
public final class HostEnvironment {

    /** systemd's default PATH for services. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private HostEnvironment() {
    }

    /** The agent's PATH, or {@link #DEFAULT_PATH} if it has none. */
    public static String path() {
        String path = System.getenv("PATH");
        return path == null || path.isBlank() ? DEFAULT_PATH : path;
    }

    /** {@code PATH} from {@code environment}, or the agent's. */
    static String path(Map<String, String> environment) {
        String path = environment.get("PATH");
        return path == null || path.isBlank() ? path() : path;
    }
}
