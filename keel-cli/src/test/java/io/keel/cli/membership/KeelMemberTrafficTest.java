package io.keel.cli.membership;

import io.keel.testkit.KeelStoreCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;

/** Member-to-member traffic of a 3-member Keel store cluster. */
class KeelMemberTrafficTest extends MemberTrafficScenario {

  @Override
  protected StoreCluster startCluster(Path workDir) {
    return KeelStoreCluster.start(workDir, 3, System.getProperty("java.class.path"));
  }
}
