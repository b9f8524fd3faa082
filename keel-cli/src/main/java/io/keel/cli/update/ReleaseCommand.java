package io.keel.cli.update;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code keel release keygen|sign|publish}: make and publish signed releases. */
@Command(name = "release", mixinStandardHelpOptions = true,
    description = "Make signed releases and publish them to an update server's directory.",
    subcommands = {ReleaseKeygenCommand.class, ReleaseSignCommand.class, ReleasePublishCommand.class})
public final class ReleaseCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: keygen, sign or publish");
  }
}
