package io.keel.cli.membership;

import io.keel.testkit.KeelStoreCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;

/** The returning-member scenario against a 3-member Keel store cluster. */
class KeelReturningMemberTest extends ReturningMemberScenario {

  @Override
  protected StoreCluster startCluster(Path workDir) {
    return KeelStoreCluster.start(workDir, 3, System.getProperty("java.class.path"));
  }
}
