package io.keel.cli.fleet;

import io.keel.cluster.unit.JobState;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel start UNIT...}: start units, first submitting and loading them if necessary. */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start one or more units in the cluster, first submitting and loading them if necessary.")
public final class StartCommand extends StateVerb {
  @Option(names = "--replace", description = "Replace units already in the cluster whose local file differs.")
  boolean replace;

  @Override
  public Integer call() {
    rejectTemplates("start");
    return trigger(createUnits(replace, Set.of(JobState.values())), JobState.LAUNCHED, "start");
  }
}
