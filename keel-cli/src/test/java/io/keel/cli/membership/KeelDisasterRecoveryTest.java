package io.keel.cli.membership;

import io.keel.cli.cluster.CliProcess;
import io.keel.testkit.KeelStoreCluster;
import io.keel.testkit.StoreCluster;
import io.keel.testkit.StoreCluster.MemberSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** Disaster recovery with {@code keel snapshot restore} and a 3-member Keel store cluster. */
class KeelDisasterRecoveryTest extends DisasterRecoveryScenario {

  @Override
  protected StoreCluster startCluster(Path workDir, Consumer<MemberSpec> prepare) {
    return KeelStoreCluster.startFrom(workDir, 3, System.getProperty("java.class.path"), prepare);
  }

  @Override
  protected Restored restore(Path snapshot, MemberSpec member, Path dataDir) {
    CliProcess.Result r = CliProcess.run(Map.of(), work, "snapshot", "restore", snapshot.toString(),
        "--data-dir", dataDir.toString(), "--name", member.name(),
        "--initial-cluster", member.initialCluster(), "--initial-cluster-token", member.clusterToken(),
        "--initial-advertise-peer-urls", member.advertisedPeerUrl());
    return new Restored(r.exit(), r.stdout() + r.stderr());
  }
}
