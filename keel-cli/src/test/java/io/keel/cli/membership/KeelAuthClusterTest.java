package io.keel.cli.membership;

import io.keel.testkit.KeelStoreCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;

/** Authentication across a 3-member Keel store cluster. */
class KeelAuthClusterTest extends AuthClusterScenario {

  @Override
  protected StoreCluster startCluster(Path workDir) {
    return KeelStoreCluster.start(workDir, 3, System.getProperty("java.class.path"));
  }
}
