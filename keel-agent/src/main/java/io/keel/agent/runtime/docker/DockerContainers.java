package io.keel.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.keel.agent.runtime.MainLauncher;
import io.keel.agent.service.ContainerSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * This machine's containers in a Docker Engine: launchers for units' {@code [Container]}
 * sections, and the containers the agent created (labelled {@value #LABEL_MACHINE}).
 *
 * <p>Requests fail with {@link DockerEngineException} (or {@link io.keel.agent.runtime.LaunchException}
 * from a launcher) when the Engine cannot be reached within {@link #CONNECT_TIMEOUT} or does not
 * answer within the response timeout (default {@link #RESPONSE_TIMEOUT}); only following a
 * container's output and waiting for its end have none. docker-java ignores socket timeouts on
 * {@code unix://} sockets, so each request runs on its own virtual thread, interrupted when its
 * time is up. Images are never pulled.
 */
public final class DockerContainers implements AutoCloseable {

    public static final String LABEL_UNIT = "io.keel.unit";
    public static final String LABEL_UNIT_HASH = "io.keel.unit-hash";
    public static final String LABEL_MACHINE = "io.keel.machine";

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_STREAMS = 1024;

    private final String dockerHost;
    private final String machineId;
    private final DockerClient client;
    private final DockerClient streams;
    private final java.util.concurrent.atomic.AtomicLong engineLosses = new java.util.concurrent.atomic.AtomicLong();
    private final Duration responseTimeout;
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();

    private DockerContainers(DockerClientConfig config, String machineId, Duration responseTimeout) {
        this.dockerHost = config.getDockerHost().toString();
        this.machineId = machineId;
        this.responseTimeout = responseTimeout;
        this.client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
                .connectionTimeout(CONNECT_TIMEOUT).responseTimeout(responseTimeout).build());
        this.streams = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
                .maxConnections(MAX_STREAMS).connectionTimeout(CONNECT_TIMEOUT).build());
    }

    /**
     * The Engine named by {@code DOCKER_HOST} (and the other docker-java settings of the
     * environment), by default {@code unix:///var/run/docker.sock}.
     */
    public static DockerContainers connect(String machineId) {
        return new DockerContainers(DefaultDockerClientConfig.createDefaultConfigBuilder().build(), machineId,
                RESPONSE_TIMEOUT);
    }

    /** The Engine at {@code dockerHost}, e.g. {@code unix:///var/run/docker.sock}. */
    public static DockerContainers connect(String dockerHost, String machineId) {
        return connect(dockerHost, machineId, RESPONSE_TIMEOUT);
    }

    static DockerContainers connect(String dockerHost, String machineId, Duration responseTimeout) {
        return new DockerContainers(DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).build(), machineId, responseTimeout);
    }

    public String dockerHost() {
        return dockerHost;
    }

    public String machineId() {
        return machineId;
    }

    /** Whether the Engine answers now. */
    public boolean ping() {
        long before = engineLosses.get();
        try {
            run("answering a ping", () -> client.pingCmd().exec());
            return true;
        } catch (RuntimeException e) {
            engineLosses.set(Math.max(engineLosses.get(), before + 1));
            return false;
        }
    }

    /**
     * Runs {@code spec} as the main process of version {@code unitHash} of {@code unit}, in a
     * container named {@code keel-<machineId>-<unit>} (see {@link DockerLauncher}).
     */
    public MainLauncher launcher(String unit, String unitHash, ContainerSpec spec) {
        return new DockerLauncher(this, unit, unitHash, spec);
    }

    /** Every container, running or not, labelled as this machine's. */
    public List<ManagedContainer> list() {
        return call("listing containers", () -> client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL_MACHINE, machineId)).exec())
                .stream().map(DockerContainers::managed).toList();
    }

    /** Removes a container, stopping it first if it runs (SIGKILL); nothing if it is gone. */
    public void remove(String containerId) {
        try {
            call("removing container " + containerId,
                    () -> client.removeContainerCmd(containerId).withForce(true).exec());
        } catch (NotFoundException gone) {
            // removed already
        } catch (ConflictException removing) {
            // a removal is in progress
        }
    }

    /** The health status ({@code starting}, {@code healthy}, {@code unhealthy}), empty without a HealthCmd. */
    public Optional<String> health(String containerId) {
        try {
            HealthState health = call("inspecting container " + containerId,
                    () -> client.inspectContainerCmd(containerId).exec()).getState().getHealth();
            return Optional.ofNullable(health).map(HealthState::getStatus);
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        closeQuietly(streams);
        closeQuietly(client);
        requests.shutdownNow();
    }

    DockerClient client() {
        return client;
    }

    DockerClient streams() {
        return streams;
    }

    /**
     * Runs one Engine request. {@link NotFoundException} and {@link ConflictException} pass
     * through for the caller to judge; any other failure becomes a {@link DockerEngineException}
     * naming {@code action} and the Engine.
     */
    <T> T call(String action, Supplier<T> request) {
        Future<T> pending = requests.submit(request::get);
        try {
            return pending.get(responseTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            engineLosses.incrementAndGet();
            throw new DockerEngineException("The Docker Engine at " + dockerHost + " did not answer " + action
                    + " within " + responseTimeout, e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new DockerEngineException("Interrupted while " + action, e);
        } catch (ExecutionException e) {
            throw translate(action, e.getCause());
        }
    }

    private RuntimeException translate(String action, Throwable failure) {
        return switch (failure) {
            case NotFoundException e -> e;
            case ConflictException e -> e;
            case DockerException e -> new DockerEngineException("The Docker Engine at " + dockerHost + " refused "
                    + action + ": " + e.getMessage().strip(), e);
            default -> {
                engineLosses.incrementAndGet();
                yield new DockerEngineException("The Docker Engine at " + dockerHost + " did not answer " + action
                        + ": " + rootCause(failure), failure);
            }
        };
    }

    /**
     * How many times a request found the engine unreachable (no answer, connection refused, stream
     * broken), as opposed to refusing a request. Grows only; lets the agent tell "the engine was
     * away" failures from "the engine said no" ones.
     */
    public long engineLosses() {
        return engineLosses.get();
    }

    void engineLost() {
        engineLosses.incrementAndGet();
    }

    void run(String action, Runnable request) {
        call(action, () -> {
            request.run();
            return null;
        });
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static ManagedContainer managed(Container c) {
        Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
        String name = c.getNames() == null || c.getNames().length == 0 ? "" : c.getNames()[0];
        return new ManagedContainer(c.getId(), name.startsWith("/") ? name.substring(1) : name,
                labels.getOrDefault(LABEL_UNIT, ""), labels.getOrDefault(LABEL_UNIT_HASH, ""),
                labels.getOrDefault(LABEL_MACHINE, ""), "running".equals(c.getState()));
    }

    private static void closeQuietly(DockerClient c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to free
        }
    }
}
