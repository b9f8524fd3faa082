package io.keel.cli.fleet;

import io.keel.api.Schema;
import io.keel.cluster.unit.UnitFile;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keel cat UNIT}: print a submitted unit's file. */
@Command(name = "cat", mixinStandardHelpOptions = true,
    description = "Output the contents of a submitted unit.")
public final class CatCommand extends FleetVerb {
  @Parameters(paramLabel = "UNIT", arity = "0..*")
  List<String> units = List.of();

  @Override
  public Integer call() {
    if (units.size() != 1) {
      throw new IllegalArgumentException("One unit file must be provided.");
    }
    String name = mangle(units.get(0));
    Schema.Unit unit = client().unit(name)
        .orElseThrow(() -> new IllegalArgumentException("unit " + name + " does not exist in the cluster"));
    out().print(UnitFile.of(unit.options() == null ? List.of() : unit.options()).text());
    out().flush();
    return 0;
  }
}
