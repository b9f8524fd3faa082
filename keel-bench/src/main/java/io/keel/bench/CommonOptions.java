package io.keel.bench;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags every workload takes (names as in etcd's tools/benchmark). */
public final class CommonOptions {
  @Option(names = "--endpoints", split = ",", defaultValue = "http://127.0.0.1:2379",
      description = "Comma-separated gRPC endpoints (default: ${DEFAULT-VALUE}).")
  List<String> endpoints;

  @Option(names = "--conns", defaultValue = "1", description = "gRPC channels (default: ${DEFAULT-VALUE}).")
  int conns;

  @Option(names = "--clients", defaultValue = "1",
      description = "Concurrent in-flight requests (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--total", defaultValue = "10000",
      description = "Requests to run (default: ${DEFAULT-VALUE}).")
  long total;

  @Option(names = "--warmup", defaultValue = "0",
      description = "Untimed requests before the measured run, to warm up the JIT and connections (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(names = "--rate", defaultValue = "0",
      description = "Requests per second over all clients; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--request-timeout", defaultValue = "10",
      description = "Per-request deadline in seconds (default: ${DEFAULT-VALUE}).")
  long requestTimeoutSeconds;

  @Option(names = "--timeout", defaultValue = "600",
      description = "Give up on the whole run after this many seconds (default: ${DEFAULT-VALUE}).")
  long runTimeoutSeconds;

  @Option(names = "--max-errors", defaultValue = "100",
      description = "Stop after this many failed requests (default: ${DEFAULT-VALUE}).")
  long maxErrors;

  @Option(names = "--label", defaultValue = "",
      description = "Free text copied into the JSON line (e.g. the server's name).")
  String label;

  @Option(names = "--json-out", description = "Also append the JSON line to this file.")
  Path jsonOut;

  @Option(names = "--slow-log",
      description = "Write the measured requests that took --slow-ms or longer to this file, with their start times.")
  Path slowLog;

  @Option(names = "--slow-ms", defaultValue = "2",
      description = "Threshold of --slow-log in milliseconds (default: ${DEFAULT-VALUE}).")
  double slowMillis;

  @Option(names = {"-q", "--quiet"}, description = "Print only the JSON line.")
  boolean quiet;
}
