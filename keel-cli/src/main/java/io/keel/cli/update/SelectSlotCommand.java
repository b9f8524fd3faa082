package io.keel.cli.update;

import io.keel.lifecycle.update.SlotSelector;
import io.keel.lifecycle.update.Slots;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel update select-slot --data-dir D}: one boot attempt, printing the slot directory to
 * boot; the same as {@link io.keel.lifecycle.update.BootSelect}.
 */
@Command(name = "select-slot", mixinStandardHelpOptions = true,
    description = "Make a boot attempt: pick the slot to boot by its flags (using one of its tries) and print its directory.")
public final class SelectSlotCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The machine's data directory.")
  Path dataDir;

  @Override
  public Integer call() {
    Slots slots = new Slots(dataDir, Clock.systemUTC());
    SlotSelector.Selection s = slots.boot();
    spec.commandLine().getOut().println(slots.dir(s.slot()).toAbsolutePath());
    spec.commandLine().getOut().flush();
    if (s.rolledBack()) {
      spec.commandLine().getErr().println("keel: " + s.table().rollback().describe());
      spec.commandLine().getErr().flush();
    }
    return 0;
  }
}
