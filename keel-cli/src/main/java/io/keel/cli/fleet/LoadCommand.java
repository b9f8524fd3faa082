package io.keel.cli.fleet;

import io.keel.cluster.unit.JobState;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel load UNIT...}: schedule units onto machines without starting them. */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Schedule one or more units in the cluster, first submitting them if necessary.")
public final class LoadCommand extends StateVerb {
  @Option(names = "--replace", description = "Replace units already in the cluster whose local file differs.")
  boolean replace;

  @Override
  public Integer call() {
    rejectTemplates("load");
    return trigger(createUnits(replace, Set.of(JobState.INACTIVE, JobState.LOADED)), JobState.LOADED, "load");
  }
}
