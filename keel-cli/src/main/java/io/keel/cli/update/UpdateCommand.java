package io.keel.cli.update;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code keel update status|check|select-slot|mark-successful}. */
@Command(name = "update", mixinStandardHelpOptions = true,
    description = "The machine's update engine and A/B slots.",
    subcommands = {UpdateStatusCommand.class, UpdateCheckCommand.class, SelectSlotCommand.class,
        MarkSuccessfulCommand.class})
public final class UpdateCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing command: status, check, select-slot or mark-successful");
  }
}
