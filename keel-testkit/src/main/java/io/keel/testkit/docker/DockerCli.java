package io.keel.testkit.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code docker} CLI against one engine address, each call with a deadline. */
final class DockerCli {

    static final Duration PING_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);

    record Result(int exitCode, String stdout, String stderr) {}

    private final Path executable;

    DockerCli(Path executable) {
        this.executable = executable;
    }

    boolean ping(String host) {
        return run(host, PING_TIMEOUT, List.of("version", "--format", "{{.Server.APIVersion}}")).exitCode() == 0;
    }

    Result run(String host, String... args) {
        return run(host, CALL_TIMEOUT, List.of(args));
    }

    String runOrThrow(String host, String... args) {
        Result result = run(host, args);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("docker -H " + host + " " + String.join(" ", args) + " failed with "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
        return result.stdout();
    }

    private Result run(String host, Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-H", host));
        command.addAll(args);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("keel-docker-cli", ".out");
            err = Files.createTempFile("keel-docker-cli", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().remove("DOCKER_HOST");
            builder.environment().remove("DOCKER_CONTEXT");
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "", String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
