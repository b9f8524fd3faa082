package io.keel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code keel} command. */
@Command(name = "keel", mixinStandardHelpOptions = true, versionProvider = KeelVersion.class,
    description = "Keel: a CoreOS-style container cluster platform on the JVM.",
    subcommands = {UpCommand.class, StoreCommand.class, NodeCommand.class,
        io.keel.cli.fleet.ListMachinesCommand.class, io.keel.cli.fleet.ListUnitsCommand.class,
        io.keel.cli.fleet.ListUnitFilesCommand.class, io.keel.cli.fleet.SubmitCommand.class,
        io.keel.cli.fleet.LoadCommand.class, io.keel.cli.fleet.StartCommand.class,
        io.keel.cli.fleet.StopCommand.class, io.keel.cli.fleet.UnloadCommand.class,
        io.keel.cli.fleet.DestroyCommand.class, io.keel.cli.fleet.RestartCommand.class,
        io.keel.cli.fleet.CatCommand.class, io.keel.cli.fleet.StatusCommand.class,
        io.keel.cli.fleet.JournalCommand.class, io.keel.cli.locksmith.LocksmithCommand.class,
        io.keel.cli.update.ReleaseCommand.class, io.keel.cli.update.UpdateServerCommand.class,
        io.keel.cli.update.UpdateCommand.class, io.keel.cli.config.ConfigCommand.class,
        io.keel.cli.aot.AotTrainingCommand.class, SnapshotCommand.class})
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
      status = commandLine().execute(GlobalEndpoint.afterVerb(args));
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
