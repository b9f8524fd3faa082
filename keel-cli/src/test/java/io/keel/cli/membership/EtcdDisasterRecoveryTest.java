package io.keel.cli.membership;

import io.keel.testkit.EtcdCluster;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.StoreCluster;
import io.keel.testkit.StoreCluster.MemberSpec;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Disaster recovery with {@code etcdctl snapshot restore} and a 3-member etcd 3.4 cluster: the control. */
class EtcdDisasterRecoveryTest extends DisasterRecoveryScenario {

  @Override
  protected StoreCluster startCluster(Path workDir, Consumer<MemberSpec> prepare) {
    return EtcdCluster.startFrom(workDir, 3, prepare);
  }

  @Override
  protected Restored restore(Path snapshot, MemberSpec member, Path dataDir) {
    Etcdctl.Result r = new Etcdctl("http://127.0.0.1:1").run("snapshot", "restore", snapshot.toString(),
        "--data-dir", dataDir.toString(), "--name", member.name(),
        "--initial-cluster", member.initialCluster(), "--initial-cluster-token", member.clusterToken(),
        "--initial-advertise-peer-urls", member.advertisedPeerUrl());
    return new Restored(r.exitCode(), r.stdout() + r.stderr());
  }
}
