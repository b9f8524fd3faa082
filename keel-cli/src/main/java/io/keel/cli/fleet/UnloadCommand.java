package io.keel.cli.fleet;

import io.keel.api.Schema;
import io.keel.cluster.unit.JobState;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code keel unload UNIT...}: take units off their machines. */
@Command(name = "unload", mixinStandardHelpOptions = true,
    description = "Unschedule one or more units in the cluster.")
public final class UnloadCommand extends StateVerb {
  @Override
  public Integer call() {
    List<String> unloading = new ArrayList<>();
    for (Schema.Unit unit : findUnits(units)) {
      if (!JobState.INACTIVE.wireName().equals(unit.desiredState())) {
        unloading.add(unit.name());
      }
    }
    return trigger(unloading, JobState.INACTIVE, "unload");
  }
}
