package io.keel.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * keel-bench: a load generator on the etcd v3 gRPC API, modelled on etcd's
 * {@code tools/benchmark}. It runs against a Keel store or a real etcd alike.
 *
 * <pre>
 * keel-bench put   --endpoints http://127.0.0.1:2379 --conns 10 --clients 100 --total 20000
 * keel-bench range foo --consistency s --conns 10 --clients 100 --total 20000
 * keel-bench txn   --txn-ops 4 --key-space-size 100000 --clients 100 --total 10000
 * keel-bench watch --watchers 1000 --keys 100 --total 5000 --clients 50
 * keel-bench lease --clients 50 --total 5000
 * </pre>
 *
 * Each run prints a human summary and one JSON line (the last line of its output).
 */
@Command(name = "keel-bench", mixinStandardHelpOptions = true, version = "keel-bench 0.1",
    description = "Load generator on the etcd v3 API (Keel or etcd).",
    subcommands = {PutCmd.class, RangeCmd.class, FailoverCmd.class, TxnCmd.class, WatchCmd.class, LeaseCmd.class, ScheduleCmd.class, AgentStartCmd.class, io.keel.bench.rolling.RollingUpdateCmd.class,
        io.keel.bench.templates.TemplateWatchCmd.class})
public final class Bench implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a workload is required");
  }

  /** Held so the level sticks (JUL keeps loggers weakly). */
  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  public static void main(String[] args) {
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    int code = new CommandLine(new Bench()).execute(args);
    System.exit(code);
  }
}
