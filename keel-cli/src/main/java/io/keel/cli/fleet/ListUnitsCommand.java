package io.keel.cli.fleet;

import io.keel.api.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keel list-units}: the state of units on the machines they are loaded on. */
@Command(name = "list-units", mixinStandardHelpOptions = true,
    description = "List the current state of units in the cluster (one line per unit and machine).")
public final class ListUnitsCommand extends FleetVerb {
  @Mixin
  ListOptions list = new ListOptions();

  @Option(names = "--fields", defaultValue = "unit,machine,active,sub",
      description = "Columns to print: unit, machine, active, sub, load, hash (default: ${DEFAULT-VALUE}).")
  String fields;

  private Fields<Schema.UnitState> fieldsOf() {
    Map<String, BiFunction<Schema.UnitState, Boolean, String>> f = new LinkedHashMap<>();
    f.put("unit", (s, full) -> dash(s.name()));
    f.put("machine", (s, full) -> s.machineID() == null || s.machineID().isEmpty() ? "-"
        : machineLegend(s.machineID(), full));
    f.put("active", (s, full) -> dash(s.systemdActiveState()));
    f.put("sub", (s, full) -> dash(s.systemdSubState()));
    f.put("load", (s, full) -> dash(s.systemdLoadState()));
    f.put("hash", (s, full) -> s.hash() == null || s.hash().isEmpty() ? "-"
        : full || s.hash().length() < 7 ? s.hash() : s.hash().substring(0, 7));
    return new Fields<>(f);
  }

  static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  @Override
  public Integer call() {
    boolean json = list.json();
    Fields<Schema.UnitState> f = fieldsOf();
    List<String> columns = f.parse(fields);
    List<Schema.UnitState> states = client().states();
    if (json) {
      printJson(states);
    } else {
      f.table(columns, states, list.full, !list.noLegend).print(out());
    }
    return 0;
  }
}
