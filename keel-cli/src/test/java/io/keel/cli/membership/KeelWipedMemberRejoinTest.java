package io.keel.cli.membership;

import io.keel.testkit.KeelStoreCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** The wiped-member scenario against a 3-member Keel store cluster, one JVM per member. */
class KeelWipedMemberRejoinTest extends WipedMemberRejoinScenario {

  @Override
  protected StoreCluster startCluster(Path workDir) {
    return KeelStoreCluster.start(workDir, 3, System.getProperty("java.class.path"),
        "--snapshot-count", "20");
  }

  @Override
  protected Pattern snapshotReceived() {
    return Pattern.compile("loaded snapshot \\S+ at revision \\d+");
  }
}
