package io.keel.agent.local;

import io.keel.agent.runtime.MainLauncher;
import io.keel.agent.runtime.ProcessLauncher;
import io.keel.agent.runtime.docker.DockerContainers;
import io.keel.agent.runtime.docker.ManagedContainer;
import io.keel.agent.runtime.exec.ExecMainLauncher;
import io.keel.agent.service.ServiceSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where units' processes come from on this machine: host processes for {@code ExecStart=} units,
 * the Docker Engine for {@code [Container]} units. The engine client is made on first use, so a
 * machine without Docker runs host units and reports container units as failed.
 */
public final class UnitRuntimes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UnitRuntimes.class);

    private final ProcessLauncher processes;
    private final Supplier<DockerContainers> dockerFactory;
    private DockerContainers docker;

    public UnitRuntimes(ProcessLauncher processes, Supplier<DockerContainers> dockerFactory) {
        this.processes = processes;
        this.dockerFactory = dockerFactory;
    }

    public ProcessLauncher processes() {
        return processes;
    }

    public MainLauncher main(String unit, String unitHash, ServiceSpec spec) {
        if (spec.container().isPresent()) {
            return docker().launcher(unit, unitHash, spec.container().get());
        }
        return ExecMainLauncher.of(unit, spec, processes);
    }

    /** A container unit's main process through the Docker Engine. */
    public MainLauncher container(String unit, String unitHash, io.keel.agent.service.ContainerSpec spec) {
        return docker().launcher(unit, unitHash, spec);
    }

    /** Whether the Docker Engine answers; false if no container unit ever needed it. */
    public boolean dockerAnswers() {
        return docker != null && docker.ping();
    }

    /** See {@link DockerContainers#engineLosses()}; 0 if no container unit ever needed the engine. */
    public long dockerLosses() {
        return docker == null ? 0 : docker.engineLosses();
    }

    public boolean dockerUsed() {
        return docker != null;
    }

    /** The health of a unit's container as Docker reports it, if it has a health check. */
    public Optional<String> health(String containerId) {
        try {
            return docker == null ? Optional.empty() : docker.health(containerId);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes this machine's containers that belong to no unit in {@code keep} (unit name to unit
     * hash) or to another version of it. Returns the names of the units whose containers went.
     */
    public List<String> removeStrayContainers(Map<String, String> keep) {
        List<ManagedContainer> all;
        try {
            all = docker().list();
        } catch (RuntimeException e) {
            LOG.debug("cannot list containers: {}", e.getMessage());
            return List.of();
        }
        return all.stream()
                .filter(c -> !c.unitHash().equals(keep.get(c.unit())))
                .filter(c -> {
                    LOG.info("removing container {} of unit {}: the unit is not scheduled here", c.name(), c.unit());
                    try {
                        docker.remove(c.id());
                        return true;
                    } catch (RuntimeException e) {
                        LOG.info("cannot remove container {} yet: {}", c.name(), e.getMessage());
                        return false;
                    }
                })
                .map(ManagedContainer::unit)
                .toList();
    }

    private synchronized DockerContainers docker() {
        if (docker == null) {
            docker = dockerFactory.get();
        }
        return docker;
    }

    @Override
    public synchronized void close() {
        if (docker != null) {
            docker.close();
        }
    }
}
