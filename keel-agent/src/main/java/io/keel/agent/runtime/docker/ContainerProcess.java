package io.keel.agent.runtime.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.WaitResponse;
import io.keel.agent.runtime.Exit;
import io.keel.agent.runtime.OutputSink;
import io.keel.agent.runtime.RunningProcess;
import io.keel.agent.runtime.Signal;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running container of a unit. {@link #exit()} completes from the Engine's wait API, after the
 * container's remaining output has reached the sink (or {@link #OUTPUT_DRAIN} has passed). Docker
 * reports death by signal N as code 128+N: such a code is reported as {@link Exit#ofSignal} when
 * this process had sent signal N (137 after KILL, 143 after TERM), otherwise as a plain code.
 */
final class ContainerProcess implements RunningProcess {

    static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);

    private final DockerContainers engine;
    private final String containerId;
    private final OutputLines output;
    private final WaitCallback wait = new WaitCallback();
    private final Set<Signal> sent = EnumSet.noneOf(Signal.class);
    private final CompletableFuture<Exit> exit;
    private final AtomicBoolean cleanedUp = new AtomicBoolean();

    private ContainerProcess(DockerContainers engine, String containerId, OutputSink sink) {
        this.engine = engine;
        this.containerId = containerId;
        this.output = new OutputLines(containerId, sink);
        this.exit = wait.status.thenCompose(code -> output.done().copy()
                .completeOnTimeout(null, OUTPUT_DRAIN.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(ignored -> toExit(code)));
    }

    /** Follows the output from the container's start, for a container just started. */
    static ContainerProcess fromStart(DockerContainers engine, String containerId, OutputSink sink) {
        return follow(engine, containerId, sink, false);
    }

    /** Follows only output written from now on, for an adopted container. */
    static ContainerProcess fromNow(DockerContainers engine, String containerId, OutputSink sink) {
        return follow(engine, containerId, sink, true);
    }

    private static ContainerProcess follow(DockerContainers engine, String containerId, OutputSink sink,
            boolean onlyNew) {
        ContainerProcess process = new ContainerProcess(engine, containerId, sink);
        engine.call("following the output of container " + shortId(containerId), () -> {
            LogContainerCmd logs = engine.streams().logContainerCmd(containerId)
                    .withFollowStream(true).withStdOut(true).withStdErr(true);
            (onlyNew ? logs.withTail(0) : logs.withTailAll()).exec(process.output);
            engine.streams().waitContainerCmd(containerId).exec(process.wait);
            return null;
        });
        return process;
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    @Override
    public String id() {
        return shortId(containerId);
    }

    @Override
    public CompletableFuture<Exit> exit() {
        return exit;
    }

    @Override
    public void signal(Signal signal) {
        if (wait.status.isDone()) {
            return;
        }
        synchronized (sent) {
            sent.add(signal);
        }
        try {
            engine.call("sending " + signal + " to container " + id(),
                    () -> engine.client().killContainerCmd(containerId).withSignal(signal.name()).exec());
        } catch (NotFoundException | ConflictException notRunning) {
            // it has ended already
        }
    }

    @Override
    public void cleanup() {
        if (cleanedUp.get()) {
            return;
        }
        output.stop();
        closeQuietly(wait);
        cleanedUp.set(true);
        try {
            engine.remove(containerId);
        } catch (RuntimeException e) {
            // the engine is away: the next start of the unit removes the container by name, and the
            // agent removes containers no unit owns
            LoggerFactory.getLogger(ContainerProcess.class).info("container {} left for later removal: {}",
                    containerId, e.getMessage());
        }
    }

    private Exit toExit(int code) {
        synchronized (sent) {
            for (Signal s : sent) {
                if (code == 128 + s.number()) {
                    return Exit.ofSignal(s.number());
                }
            }
        }
        return Exit.ofCode(code);
    }

    private static void closeQuietly(ResultCallback.Adapter<?> callback) {
        try {
            callback.close();
        } catch (java.io.IOException ignored) {
            // the stream is gone already
        }
    }

    private final class WaitCallback extends ResultCallback.Adapter<WaitResponse> {
        final CompletableFuture<Integer> status = new CompletableFuture<>();

        @Override
        public void onNext(WaitResponse response) {
            status.complete(response.getStatusCode());
        }

        @Override
        public void onError(Throwable error) {
            if (status.isDone()) {
                // the exit status is in: this is the wait stream ending as cleanup() closes it, not a
                // lost engine (counting it made the agent restart failed container units)
                super.onError(error);
                return;
            }
            engine.engineLost();
            status.completeExceptionally(new DockerEngineException("Lost the Docker Engine at " + engine.dockerHost()
                    + " while waiting for container " + id() + " to end: " + error, error));
            super.onError(error);
        }

        @Override
        public void onComplete() {
            status.completeExceptionally(new DockerEngineException("The Docker Engine at " + engine.dockerHost()
                    + " ended the wait for container " + id() + " without an exit status", null));
            super.onComplete();
        }
    }
}
