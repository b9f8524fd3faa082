package io.keel.cli.fleet;

import picocli.CommandLine.Option;

/** The options fleetctl's list verbs share, plus Keel's {@code -o json}. */
public final class ListOptions {
  @Option(names = {"-l", "--full"}, description = "Do not ellipsize fields on output.")
  boolean full;

  @Option(names = "--no-legend", description = "Do not print a legend (column headers).")
  boolean noLegend;

  @Option(names = {"-o", "--output"}, defaultValue = "table",
      description = "Output format: table or json (default: ${DEFAULT-VALUE}).")
  String output;

  boolean json() {
    return switch (output) {
      case "table" -> false;
      case "json" -> true;
      default -> throw new IllegalArgumentException("-o must be table or json, not '" + output + "'");
    };
  }
}
