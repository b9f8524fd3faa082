package io.keel.agent.runtime.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.keel.agent.runtime.LaunchException;
import io.keel.agent.runtime.MainLauncher;
import io.keel.agent.runtime.OutputSink;
import io.keel.agent.runtime.RunningProcess;
import io.keel.agent.service.ContainerSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a unit's {@code [Container]} in the Docker Engine, as container
 * {@code keel-<machineId>-<unit>} (characters Docker refuses in names become {@code -}), labelled
 * with the unit, its version hash and the machine. A stale container of that name is removed
 * first. The environment is the one passed to {@link #start} overlaid with the section's
 * {@code Environment=}: on a conflict the {@code [Container]} value wins. The image must already
 * be in the Engine; it is never pulled.
 */
final class DockerLauncher implements MainLauncher {

    private final DockerContainers engine;
    private final String unit;
    private final String unitHash;
    private final ContainerSpec spec;
    private final String name;

    DockerLauncher(DockerContainers engine, String unit, String unitHash, ContainerSpec spec) {
        this.engine = engine;
        this.unit = unit;
        this.unitHash = unitHash;
        this.spec = spec;
        this.name = ContainerNames.of(engine.machineId(), unit);
    }

    @Override
    public RunningProcess start(Map<String, String> environment, OutputSink output) throws LaunchException {
        CreateContainerCmd create;
        try {
            create = ContainerRequest.create(engine.client(), spec, name, labels(), mergedEnvironment(environment));
        } catch (IllegalArgumentException e) {
            throw new LaunchException(unit + ": " + e.getMessage(), e);
        }
        try {
            requireImage();
            engine.remove(name);
            String id = createContainer(create);
            try {
                engine.run("starting container " + name, () -> engine.client().startContainerCmd(id).exec());
            } catch (RuntimeException e) {
                engine.remove(id);
                throw e;
            }
            return ContainerProcess.fromStart(engine, id, output);
        } catch (DockerEngineException e) {
            throw new LaunchException(e.getMessage(), e);
        } catch (NotFoundException | ConflictException e) {
            throw new LaunchException("Could not start container " + name + ": " + e.getMessage().strip(), e);
        }
    }

    @Override
    public Optional<RunningProcess> adopt(OutputSink output) {
        List<Container> running = engine.call("listing the containers of " + unit,
                () -> engine.client().listContainersCmd().withStatusFilter(List.of("running"))
                        .withLabelFilter(labels()).exec());
        return running.stream().findFirst()
                .map(c -> ContainerProcess.fromNow(engine, c.getId(), output));
    }

    private void requireImage() throws LaunchException {
        try {
            engine.call("inspecting image " + spec.image(), () -> engine.client().inspectImageCmd(spec.image()).exec());
        } catch (NotFoundException e) {
            throw imageMissing(e);
        }
    }

    private String createContainer(CreateContainerCmd create) throws LaunchException {
        try {
            return engine.call("creating container " + name, create::exec).getId();
        } catch (NotFoundException e) {
            throw imageMissing(e);
        }
    }

    private LaunchException imageMissing(Exception cause) {
        return new LaunchException("image " + spec.image() + " not found in the local Docker Engine at "
                + engine.dockerHost() + " (Keel never pulls: load or pull it on this machine first)", cause);
    }

    private Map<String, String> labels() {
        return Map.of(DockerContainers.LABEL_UNIT, unit, DockerContainers.LABEL_UNIT_HASH, unitHash,
                DockerContainers.LABEL_MACHINE, engine.machineId());
    }

    private Map<String, String> mergedEnvironment(Map<String, String> environment) {
        Map<String, String> merged = new LinkedHashMap<>(environment);
        merged.putAll(spec.environment());
        return merged;
    }
}
