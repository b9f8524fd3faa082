package io.keel.cli.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keel.api.Schema;
import io.keel.cluster.unit.UnitFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code keel list-unit-files}: every unit in the cluster, loaded or not, and (Keel's addition)
 * why one that should run is on no machine.
 */
@Command(name = "list-unit-files", mixinStandardHelpOptions = true,
    description = "List the units that exist in the cluster, and why any that should run cannot be placed.")
public final class ListUnitFilesCommand extends FleetVerb {
  @Mixin
  ListOptions list = new ListOptions();

  @Option(names = "--fields", defaultValue = "unit,hash,dstate,state,target,reason",
      description = "Columns to print: unit, hash, dstate, state, target, global, desc, reason, tmachine "
          + "(default: ${DEFAULT-VALUE}).")
  String fields;

  /** A unit with what list-unit-files shows about it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Row(@JsonProperty("name") String name, @JsonProperty("hash") String hash,
      @JsonProperty("desiredState") String desiredState, @JsonProperty("currentState") String currentState,
      @JsonProperty("machineID") String machineID, @JsonProperty("global") boolean global,
      @JsonProperty("description") String description, @JsonProperty("reason") String reason) {}

  private Fields<Row> fieldsOf() {
    Map<String, BiFunction<Row, Boolean, String>> f = new LinkedHashMap<>();
    f.put("unit", (r, full) -> r.name());
    f.put("hash", (r, full) -> full ? r.hash() : r.hash().substring(0, Math.min(7, r.hash().length())));
    f.put("dstate", (r, full) -> ListUnitsCommand.dash(r.desiredState()));
    f.put("state", (r, full) -> r.global() ? "-" : ListUnitsCommand.dash(r.currentState()));
    BiFunction<Row, Boolean, String> target = (r, full) -> r.global() ? "global"
        : r.machineID() == null || r.machineID().isEmpty() ? "-" : machineLegend(r.machineID(), full);
    f.put("target", target);
    f.put("tmachine", target);
    f.put("global", (r, full) -> String.valueOf(r.global()));
    f.put("desc", (r, full) -> ListUnitsCommand.dash(r.description()));
    f.put("reason", (r, full) -> ListUnitsCommand.dash(r.reason()));
    return new Fields<>(f);
  }

  @Override
  public Integer call() {
    boolean json = list.json();
    Fields<Row> f = fieldsOf();
    List<String> columns = f.parse(fields);
    if (columns.contains("tmachine")) {
      stderr("WARNING: The \"tmachine\" field is deprecated. Use \"target\" instead");
    }
    Map<String, String> reasons = client().unschedulable();
    List<Row> rows = new ArrayList<>();
    for (Schema.Unit u : client().units()) {
      UnitFile file = UnitFile.of(u.options() == null ? List.of() : u.options());
      rows.add(new Row(u.name(), file.hash(), u.desiredState(), u.currentState(), u.machineID(), isGlobal(u),
          file.value("Unit", "Description").orElse(null), reasons.get(u.name())));
    }
    if (json) {
      printJson(rows);
    } else {
      f.table(columns, rows, list.full, !list.noLegend).print(out());
    }
    return 0;
  }
}
