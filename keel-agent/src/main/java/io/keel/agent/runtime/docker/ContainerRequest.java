package io.keel.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.keel.agent.service.ContainerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates a {@link ContainerSpec} into an Engine create request. Invalid settings throw
 * {@link IllegalArgumentException} before anything is sent.
 */
final class ContainerRequest {

    private ContainerRequest() {}

    static CreateContainerCmd create(DockerClient client, ContainerSpec spec, String name, Map<String, String> labels,
            Map<String, String> environment) {
        CreateContainerCmd create = client.createContainerCmd(spec.image())
                .withName(name)
                .withLabels(labels)
                .withEnv(environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withHostConfig(hostConfig(spec));
        if (!spec.exec().isEmpty()) {
            create.withCmd(spec.exec());
        }
        spec.healthCmd().ifPresent(cmd -> create.withHealthcheck(healthCheck(cmd, spec)));
        return create;
    }

    static HostConfig hostConfig(ContainerSpec spec) {
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(network(spec.network()))
                .withReadonlyRootfs(spec.readOnly())
                .withBinds(spec.volumes().stream().map(ContainerRequest::bind).toList());
        if (!spec.tmpfs().isEmpty()) {
            host.withTmpFs(tmpfs(spec.tmpfs()));
        }
        if (spec.memoryBytes() > 0) {
            host.withMemory(spec.memoryBytes());
        }
        if (spec.cpuMillis() > 0) {
            host.withNanoCPUs(spec.cpuMillis() * 1_000_000L);
        }
        return host;
    }

    /** {@code host} or {@code none}; unset means {@code none}. */
    static String network(String network) {
        if (network == null || network.isBlank()) {
            return ContainerSpec.NETWORK_NONE;
        }
        if (!network.equals(ContainerSpec.NETWORK_HOST) && !network.equals(ContainerSpec.NETWORK_NONE)) {
            throw new IllegalArgumentException("Network=" + network + " is not supported (host or none)");
        }
        return network;
    }

    /** {@code SOURCE:DEST[:ro|rw]}, SOURCE an absolute host path or a named volume. */
    static Bind bind(String volume) {
        String[] parts = volume.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || !parts[1].startsWith("/")) {
            throw new IllegalArgumentException("Volume=" + volume + " is not SOURCE:/DEST[:ro|rw]");
        }
        AccessMode mode = AccessMode.rw;
        if (parts.length == 3) {
            switch (parts[2]) {
                case "ro" -> mode = AccessMode.ro;
                case "rw" -> mode = AccessMode.rw;
                default -> throw new IllegalArgumentException("Volume=" + volume + ": mode must be ro or rw");
            }
        }
        return new Bind(parts[0], new Volume(parts[1]), mode);
    }

    /** {@code /PATH[:OPTIONS]} entries as the Engine's tmpfs map. */
    static Map<String, String> tmpfs(List<String> entries) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            String path = colon < 0 ? entry : entry.substring(0, colon);
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("Tmpfs=" + entry + " is not an absolute container path");
            }
            mounts.put(path, colon < 0 ? "" : entry.substring(colon + 1));
        }
        return mounts;
    }

    private static HealthCheck healthCheck(String command, ContainerSpec spec) {
        HealthCheck check = new HealthCheck().withTest(new ArrayList<>(List.of("CMD-SHELL", command)));
        if (spec.healthInterval() != null && !spec.healthInterval().isZero()) {
            check.withInterval(spec.healthInterval().toNanos());
        }
        return check;
    }
}
