package io.keel.cli.update;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a command as {@code keel} would once registered: one-line errors on stderr, exit 1. */
final class Cli {
  record Result(int exit, String out, String err) {}

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CommandLine line;

  Cli(Object command) {
    line = new CommandLine(command)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("keel: " + e.getMessage());
          return 1;
        })
        .setParameterExceptionHandler((e, args) -> {
          e.getCommandLine().getErr().println("keel: " + e.getMessage());
          return 2;
        });
  }

  static Result run(Object command, String... args) {
    Cli cli = new Cli(command);
    return cli.execute(args);
  }

  Result execute(String... args) {
    int exit = line.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  String outSoFar() {
    return out.toString();
  }
}
