package io.keel.agent.runtime.exec;

import io.keel.agent.runtime.OutputSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies a process's output stream to an {@link OutputSink} line by line on a daemon thread.
 * Lines longer than {@link #MAX_LINE} bytes are cut into several lines; a final line without a
 * newline is delivered at end of stream; a trailing {@code \r} is dropped.
 */
final class LinePump implements Runnable {

    static final int MAX_LINE = 8192;

    private final InputStream in;
    private final boolean stderr;
    private final OutputSink sink;

    private LinePump(InputStream in, boolean stderr, OutputSink sink) {
        this.in = in;
        this.stderr = stderr;
        this.sink = sink;
    }

    static Thread start(String name, InputStream in, boolean stderr, OutputSink sink) {
        Thread t = new Thread(new LinePump(in, stderr, sink), name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        emit(line);
                    } else {
                        line.write(b);
                        if (line.size() >= MAX_LINE) {
                            emit(line);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the stream closed under us (process gone); deliver what we have
        }
        if (line.size() > 0) {
            emit(line);
        }
    }

    private void emit(ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (s.endsWith("\r")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            sink.line(stderr, s);
        } catch (RuntimeException e) {
            // a failing sink must not stop the pump (the process would block on a full pipe)
        }
    }
}
