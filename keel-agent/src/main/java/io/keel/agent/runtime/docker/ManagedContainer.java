package io.keel.agent.runtime.docker;

/**
 * A container this machine's agent created, as found by {@link DockerContainers#list()}.
 *
 * @param id the full container id
 * @param name the container name without Docker's leading slash
 * @param unit the {@code io.keel.unit} label
 * @param unitHash the {@code io.keel.unit-hash} label (the unit version it runs)
 * @param machineId the {@code io.keel.machine} label
 * @param running whether it is running now
 */
public record ManagedContainer(String id, String name, String unit, String unitHash, String machineId,
        boolean running) {}
