package io.keel.cli.membership;

import io.keel.testkit.KeelStoreCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;

/** HTTP on the client ports of a 3-member Keel store cluster. */
class KeelClientPortHttpTest extends ClientPortHttpScenario {

  @Override
  protected StoreCluster startCluster(Path workDir) {
    return KeelStoreCluster.start(workDir, 3, System.getProperty("java.class.path"));
  }
}
