package io.keel.cli.fleet;

import io.keel.cluster.unit.JobState;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel submit UNIT...}: upload units without scheduling them. */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Upload one or more units to the cluster without starting them.")
public final class SubmitCommand extends StateVerb {
  @Option(names = "--replace", description = "Replace units already in the cluster whose local file differs.")
  boolean replace;

  @Override
  public Integer call() {
    List<String> names = createUnits(replace, Set.of(JobState.INACTIVE));
    return waitFor(names.stream().filter(n -> client().unit(n)
        .map(u -> JobState.INACTIVE.wireName().equals(u.desiredState())).orElse(false)).toList(),
        "submit", JobState.INACTIVE);
  }
}
