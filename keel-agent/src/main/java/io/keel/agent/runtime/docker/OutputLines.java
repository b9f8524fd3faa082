package io.keel.agent.runtime.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.keel.agent.runtime.OutputSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Follows a container's log stream and hands it to an {@link OutputSink} line by line, stdout
 * and stderr apart. {@link #done()} completes when the stream ends (the container stopped).
 */
final class OutputLines extends ResultCallback.Adapter<Frame> {

    private final String containerId;
    private final OutputSink sink;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean closing;

    OutputLines(String containerId, OutputSink sink) {
        this.containerId = containerId;
        this.sink = sink;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public synchronized void onNext(Frame frame) {
        boolean isStderr = frame.getStreamType() == StreamType.STDERR;
        ByteArrayOutputStream buffer = isStderr ? stderr : stdout;
        for (byte b : frame.getPayload()) {
            if (b == '\n') {
                emit(isStderr, buffer);
            } else {
                buffer.write(b);
            }
        }
    }

    @Override
    public void onComplete() {
        finish();
        super.onComplete();
    }

    @Override
    public void onError(Throwable error) {
        if (!closing) {
            sink.agent("Lost the output of container " + ContainerProcess.shortId(containerId) + ": " + error);
        }
        finish();
        super.onError(error);
    }

    /** Stops following (the stream is closed; lines not yet ended by a newline are passed on). */
    void stop() {
        closing = true;
        try {
            close();
        } catch (java.io.IOException ignored) {
            // closing a dead stream
        }
        finish();
    }

    private synchronized void finish() {
        if (stdout.size() > 0) {
            emit(false, stdout);
        }
        if (stderr.size() > 0) {
            emit(true, stderr);
        }
        done.complete(null);
    }

    private void emit(boolean isStderr, ByteArrayOutputStream buffer) {
        String line = buffer.toString(StandardCharsets.UTF_8);
        buffer.reset();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        sink.line(isStderr, line);
    }
}
