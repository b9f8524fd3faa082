package io.keel.agent.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A unit's {@code [Container]} section (modelled on Podman Quadlet's {@code .container} units).
 *
 * @param image {@code Image=}: the image reference, must exist in the local engine
 * @param exec {@code Exec=}: the command (split as systemd splits Exec lines); empty = image default
 * @param environment {@code Environment=} of the section (the unit's [Service] environment is added by the supervisor)
 * @param volumes {@code Volume=}: {@code SOURCE:DEST[:ro|rw]}, SOURCE a host path or a named volume
 * @param tmpfs {@code Tmpfs=}: container paths mounted as tmpfs
 * @param readOnly {@code ReadOnly=}: the root filesystem is read-only
 * @param memoryBytes {@code Memory=} limit in bytes, 0 = none
 * @param cpuMillis {@code CPU=} in thousandths of a core, 0 = none
 * @param network {@code Network=}: {@code host} or {@code none}
 * @param healthCmd {@code HealthCmd=}, empty = none (run through {@code /bin/sh -c})
 * @param healthInterval {@code HealthInterval=}
 */
public record ContainerSpec(String image, List<String> exec, Map<String, String> environment, List<String> volumes,
        List<String> tmpfs, boolean readOnly, long memoryBytes, long cpuMillis, String network,
        Optional<String> healthCmd, Duration healthInterval) {

    public static final String NETWORK_HOST = "host";
    public static final String NETWORK_NONE = "none";

    public ContainerSpec {
        exec = List.copyOf(exec);
        environment = Map.copyOf(environment);
        volumes = List.copyOf(volumes);
        tmpfs = List.copyOf(tmpfs);
    }
}
