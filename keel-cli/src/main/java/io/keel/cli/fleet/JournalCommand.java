package io.keel.cli.fleet;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel journal [-f] [--lines N] UNIT}: a unit's log on its machine (served by the machine agent). */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = "Print the journal of a unit in the cluster.")
public final class JournalCommand extends FleetVerb {
  @Parameters(paramLabel = "UNIT", arity = "0..*")
  List<String> units = List.of();

  @Option(names = "--lines", defaultValue = "10", description = "Number of recent lines to show (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are written.")
  boolean follow;

  @Override
  public Integer call() {
    if (units.size() != 1) {
      throw new IllegalArgumentException("One unit file must be provided.");
    }
    if (lines < 0) {
      throw new IllegalArgumentException("--lines must not be negative");
    }
    String name = findUnits(units).get(0).name();
    if (follow) {
      client().followJournal(name, lines, line -> {
        out().println(line);
        out().flush();
      });
    } else {
      out().print(client().journal(name, lines));
      out().flush();
    }
    return 0;
  }
}
