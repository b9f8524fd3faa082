package io.keel.cli.fleet;

import io.keel.api.Schema;
import io.keel.cluster.unit.JobState;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code keel restart UNIT...}: stop, then start units. */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = "Restart one or more units in the cluster: stop them, then start them again.")
public final class RestartCommand extends StateVerb {
  @Override
  public Integer call() {
    List<Schema.Unit> found = findUnits(units);
    for (Schema.Unit unit : found) {
      if (!isGlobal(unit) && JobState.INACTIVE.wireName().equals(unit.desiredState())) {
        throw new IllegalArgumentException("Unable to restart unit " + unit.name() + " in state inactive");
      }
    }
    int exit = 0;
    for (Schema.Unit unit : found) {
      exit |= trigger(List.of(unit.name()), JobState.LOADED, "stop");
      exit |= trigger(List.of(unit.name()), JobState.LAUNCHED, "start");
    }
    return exit;
  }
}
