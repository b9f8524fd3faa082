package io.keel.cli.update;

import io.keel.lifecycle.update.Slots;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel update mark-successful --data-dir D}: the active slot is healthy; keep booting it. */
@Command(name = "mark-successful", mixinStandardHelpOptions = true,
    description = "Mark the active slot as successful, so it keeps booting (the node does this once healthy).")
public final class MarkSuccessfulCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The machine's data directory.")
  Path dataDir;

  @Override
  public Integer call() {
    Slots slots = new Slots(dataDir, Clock.systemUTC());
    slots.markSuccessful();
    spec.commandLine().getOut().println("slot " + slots.read().active() + " marked successful");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
