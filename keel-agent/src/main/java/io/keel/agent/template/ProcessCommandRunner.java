package io.keel.agent.template;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands with {@link ProcessBuilder}: stdin {@code /dev/null}, stderr merged into stdout,
 * the given environment (the agent's when null), the whole process tree killed on timeout.
 */
public final class ProcessCommandRunner implements CommandRunner {

    static final int OUTPUT_LIMIT = 4096;
    private final Map<String, String> environment;

    /** With the agent's environment. */
    public ProcessCommandRunner() {
        this(null);
    }

    public ProcessCommandRunner(Map<String, String> environment) {
        this.environment = environment == null ? null : Map.copyOf(environment);
    }

    @Override
    public Outcome run(List<String> argv, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (environment != null) {
            pb.environment().clear();
            pb.environment().putAll(environment);
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new Outcome(-1, argv.get(0) + ": " + e.getMessage(), false);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread pump = Thread.ofVirtual().name("check-output-" + process.pid()).start(() -> drain(process.getInputStream(), output));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
                pump.join(1000);
                return new Outcome(-1, text(output), true);
            }
            pump.join(1000);
            return new Outcome(process.exitValue(), text(output), false);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome(-1, "interrupted", false);
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream into) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (into) {
                    if (into.size() < OUTPUT_LIMIT) {
                        into.write(buffer, 0, Math.min(n, OUTPUT_LIMIT - into.size()));
                    }
                }
            }
        } catch (IOException ignored) {
            // the process was killed; what was read is kept
        }
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }
}
