package io.keel.cli.fleet;

import io.keel.api.Schema;
import io.keel.cluster.unit.JobState;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code keel stop UNIT...}: stop units, leaving them loaded on their machines. */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Stop one or more units in the cluster; they stay loaded and can be started again.")
public final class StopCommand extends StateVerb {
  @Override
  public Integer call() {
    List<String> stopping = new ArrayList<>();
    for (Schema.Unit unit : findUnits(units)) {
      if (!isGlobal(unit)) {
        if (JobState.INACTIVE.wireName().equals(unit.currentState())
            && JobState.INACTIVE.wireName().equals(unit.desiredState())) {
          throw new IllegalArgumentException("Unable to stop unit " + unit.name() + " in state inactive");
        }
        if (JobState.LOADED.wireName().equals(unit.desiredState())) {
          continue;
        }
      }
      stopping.add(unit.name());
    }
    return trigger(stopping, JobState.LOADED, "stop");
  }
}
