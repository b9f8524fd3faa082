package io.keel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code keel} command. */
@Command(name = "keel", mixinStandardHelpOptions = true, versionProvider = KeelVersion.class,
    description = "Keel: a CoreOS-style container cluster platform on the JVM.",
    subcommands = {UpCommand.class, StoreCommand.class})
public final class Keel implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    int status;
    try {
      status = commandLine().execute(args);
    } catch (Throwable t) {
      System.err.println("keel: " + OneLineErrors.describe(t));
      status = 1;
    }
    System.exit(status);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Keel())
        .setExecutionExceptionHandler(new OneLineErrors())
        .setParameterExceptionHandler(new OneLineErrors());
  }
}
