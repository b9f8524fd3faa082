package io.keel.cli;

import io.keel.store.server.SnapshotRestore;
import io.keel.store.server.StoreConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keel snapshot restore|status}: etcdctl's snapshot commands for Keel's snapshots (taken
 * with {@code etcdctl snapshot save} from a Keel member), with etcdctl 3.4's flags and defaults.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = "Restore a new cluster's member from a snapshot (etcdctl snapshot save), or describe one.",
    subcommands = {SnapshotCommand.Restore.class, SnapshotCommand.Status.class})
final class SnapshotCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: restore or status");
  }

  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Write a data dir for one member of a new cluster from a snapshot; every member"
          + " of the new cluster is restored from the same file, then started with the same flags"
          + " and --initial-cluster-state new.")
  static final class Restore implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The snapshot (etcdctl snapshot save).")
    Path snapshot;

    @Option(names = "--data-dir", description = "The data dir to create (default: <name>.etcd).")
    Path dataDir;

    @Option(names = "--name", defaultValue = StoreConfig.NAME_DEFAULT,
        description = "The member's name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--initial-cluster", defaultValue = "default=http://localhost:2380",
        description = "The new cluster's members, name=peer-URL,... (default: ${DEFAULT-VALUE}).")
    String initialCluster;

    @Option(names = "--initial-cluster-token", defaultValue = StoreConfig.CLUSTER_TOKEN_DEFAULT,
        description = "The new cluster's token (default: ${DEFAULT-VALUE}).")
    String clusterToken;

    @Option(names = "--initial-advertise-peer-urls", defaultValue = "http://localhost:2380",
        description = "This member's peer URLs (default: ${DEFAULT-VALUE}).")
    String peerUrls;

    @Option(names = "--skip-hash-check",
        description = "Do not check the snapshot's SHA-256 (a file copied from a data dir has none).")
    boolean skipHashCheck;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      var cluster = StoreConfig.cluster(initialCluster);
      var peers = StoreConfig.urls("--initial-advertise-peer-urls", peerUrls);
      StoreConfig.checkListed(name, cluster);
      if (!cluster.get(name).equals(peers)) {
        throw new IllegalArgumentException("--initial-cluster gives member '" + name
            + "' the peer URLs " + cluster.get(name) + " but --initial-advertise-peer-urls is "
            + peers + "; they must match");
      }
      Path target = dataDir != null ? dataDir : Path.of(name + ".etcd");
      var summary = SnapshotRestore.restore(snapshot, target,
          new SnapshotRestore.Target(name, initialCluster, clusterToken, peers), skipHashCheck);
      spec.commandLine().getErr().printf("restored snapshot %s (revision %d, %d keys) into %s for"
          + " member %s%n", snapshot, summary.revision(), summary.keys(), target, name);
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Check a snapshot whole and print its hash, revision, keys and size.")
  static final class Status implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The snapshot (etcdctl snapshot save).")
    Path snapshot;

    @Option(names = {"-w", "--write-out"}, defaultValue = "simple",
        description = "simple, table or json (default: ${DEFAULT-VALUE}).")
    String writeOut;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (!writeOut.equals("simple") && !writeOut.equals("table") && !writeOut.equals("json")) {
        throw new IllegalArgumentException("--write-out must be simple, table or json, not '"
            + writeOut + "'");
      }
      var s = SnapshotRestore.status(snapshot);
      String hash = String.format(Locale.ROOT, "%08x", s.hash());
      PrintWriter out = spec.commandLine().getOut();
      switch (writeOut) {
        case "json" -> out.printf(Locale.ROOT,
            "{\"hash\":%d,\"revision\":%d,\"totalKey\":%d,\"totalSize\":%d}%n",
            s.hash(), s.revision(), s.keys(), s.totalSize());
        case "table" -> {
          out.println("+----------+----------+------------+------------+");
          out.println("|   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |");
          out.println("+----------+----------+------------+------------+");
          out.printf(Locale.ROOT, "| %8s | %8d | %10d | %10s |%n", hash, s.revision(), s.keys(),
              humanSize(s.totalSize()));
          out.println("+----------+----------+------------+------------+");
        }
        default -> out.printf(Locale.ROOT, "%s, %d, %d, %s%n", hash, s.revision(), s.keys(),
            humanSize(s.totalSize()));
      }
      return 0;
    }

    /** Sizes as etcdctl prints them (go-humanize's SI units). */
    static String humanSize(long bytes) {
      String[] units = {"B", "kB", "MB", "GB", "TB"};
      double value = bytes;
      int unit = 0;
      while (value >= 1000 && unit < units.length - 1) {
        value /= 1000;
        unit++;
      }
      return unit == 0 ? bytes + " B"
          : String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }
  }
}
