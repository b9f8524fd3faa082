package io.keel.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
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

  /** gRPC logs through java.util.logging; its start-up notes are not for operators. */
  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  public static void main(String[] args) {
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    int status;
    try {
      status = execute(GlobalEndpoint.afterVerb(args), System.getenv(), commandLine());
    } catch (Throwable t) {
      System.err.println("keel: " + OneLineErrors.describe(t));
      status = 1;
    }
    System.exit(status);
  }

  /**
   * Runs {@code args} on {@code commandLine}; {@code keel store} also takes etcd's other sources
   * of its flags ({@link StoreArguments}) from {@code env}.
   */
  static int execute(String[] args, Map<String, String> env, CommandLine commandLine) {
    if (args.length == 0 || !args[0].equals("store")) {
      return commandLine.execute(args);
    }
    var store = commandLine.getSubcommands().get("store");
    StoreArguments.Resolved resolved;
    try {
      resolved = StoreArguments.resolve(List.of(args).subList(1, args.length), env,
          store.getCommandSpec().optionsMap().keySet());
    } catch (IOException | RuntimeException e) {
      commandLine.getErr().println("keel: " + OneLineErrors.describe(e));
      return 1;
    }
    EtcdLogOptions.configure(resolved.args());
    var log = LoggerFactory.getLogger(StoreArguments.class);
    resolved.warnings().forEach(log::warn);
    resolved.infos().forEach(log::info);
    var errors = new OneLineErrors(resolved.sources());
    commandLine.setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
    List<String> all = new ArrayList<>(List.of("store"));
    all.addAll(resolved.args());
    return commandLine.execute(all.toArray(String[]::new));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Keel())
        .setExecutionExceptionHandler(new OneLineErrors())
        .setParameterExceptionHandler(new OneLineErrors());
  }
}
