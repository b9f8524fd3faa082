package io.keel.cli.membership;

import io.keel.testkit.EtcdCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;

/** The returning-member scenario against a 3-member real etcd 3.4 cluster: the control. */
class EtcdReturningMemberTest extends ReturningMemberScenario {

  @Override
  protected StoreCluster startCluster(Path workDir) {
    return EtcdCluster.start(workDir, 3);
  }
}
