package io.keel.cli.membership;

import io.keel.testkit.EtcdCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;

/** Member-to-member traffic of a 3-member real etcd 3.4 cluster: the control. */
class EtcdMemberTrafficTest extends MemberTrafficScenario {

  @Override
  protected StoreCluster startCluster(Path workDir) {
    return EtcdCluster.start(workDir, 3);
  }
}
