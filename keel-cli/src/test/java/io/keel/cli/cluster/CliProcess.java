package io.keel.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code keel} ({@code io.keel.cli.Keel}) as a real process on the test classpath. */
public final class CliProcess {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What one invocation printed and how it exited. */
    public record Result(int exit, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }
    }

    private CliProcess() {}

    public static Result run(Map<String, String> env, Path workDir, String... args) {
        Process process = launch(builder(env, workDir, args));
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("keel " + String.join(" ", args) + " did not exit within " + TIMEOUT);
            }
            return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("keel " + String.join(" ", args) + " failed: " + e, e);
        }
    }

    /**
     * Starts {@code keel args...} with stdin closed and stderr (its log) appended to
     * {@code workDir/keel-stderr.log}, so a chatty process never blocks on a full pipe; the caller
     * owns the process and reads its stdout.
     */
    static Process start(Map<String, String> env, Path workDir, String... args) {
        return launch(builder(env, workDir, args)
                .redirectError(ProcessBuilder.Redirect.appendTo(workDir.resolve("keel-stderr.log").toFile())));
    }

    private static ProcessBuilder builder(Map<String, String> env, Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss512k", "-cp", System.getProperty("java.class.path"), "io.keel.cli.Keel"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().remove("KEEL_ENDPOINT");
        builder.environment().putAll(env);
        return builder;
    }

    private static Process launch(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CompletableFuture<String> drain(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
