package io.keel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the {@code keel} command line in this JVM with its output captured, for tests in other packages. */
public final class KeelInProcess {

    /** What one invocation printed and its exit status. */
    public record Result(int exit, String stdout, String stderr) {}

    private KeelInProcess() {}

    public static Result run(String... args) {
        return runWithEnvironment(java.util.Map.of(), args);
    }

    /** Runs {@code args} as {@code keel} run with the environment variables {@code env}. */
    public static Result runWithEnvironment(java.util.Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = Keel.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = Keel.execute(args, env, commandLine);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Runs {@code keel store --data-dir DATA_DIR FLAGS...}. */
    public static Result store(Path dataDir, String... flags) {
        String[] args = new String[flags.length + 3];
        args[0] = "store";
        args[1] = "--data-dir";
        args[2] = dataDir.toString();
        System.arraycopy(flags, 0, args, 3, flags.length);
        return run(args);
    }
}
