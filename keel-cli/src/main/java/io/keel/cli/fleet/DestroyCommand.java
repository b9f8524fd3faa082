package io.keel.cli.fleet;

import io.keel.api.Schema;
import picocli.CommandLine.Command;

/** {@code keel destroy UNIT...}: remove units from the cluster. */
@Command(name = "destroy", mixinStandardHelpOptions = true,
    description = "Destroy one or more units in the cluster; they must be submitted again to run.")
public final class DestroyCommand extends StateVerb {
  @Override
  public Integer call() {
    for (Schema.Unit unit : findUnits(units)) {
      if (!client().destroy(unit.name())) {
        throw new IllegalArgumentException("unit " + unit.name() + " does not exist in the cluster");
      }
      stdout("Destroyed " + unit.name());
    }
    return 0;
  }
}
