package io.keel.cli.fleet;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keel status UNIT...}: the units' status on their machines (served by the machine agent). */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Output the status of one or more units in the cluster.")
public final class StatusCommand extends FleetVerb {
  @Parameters(paramLabel = "UNIT", arity = "0..*")
  List<String> units = List.of();

  @Override
  public Integer call() {
    findUnits(units).forEach(u -> out().print(client().status(u.name())));
    out().flush();
    return 0;
  }
}
