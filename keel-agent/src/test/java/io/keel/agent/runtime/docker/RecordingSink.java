package io.keel.agent.runtime.docker;

import io.keel.agent.runtime.OutputSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every line a container wrote, stdout and stderr apart. */
final class RecordingSink implements OutputSink {

    final List<String> stdout = new CopyOnWriteArrayList<>();
    final List<String> stderr = new CopyOnWriteArrayList<>();
    final List<String> agent = new CopyOnWriteArrayList<>();

    @Override
    public void line(boolean isStderr, String line) {
        (isStderr ? stderr : stdout).add(line);
    }

    @Override
    public void agent(String message) {
        agent.add(message);
    }
}
