package io.keel.cli.membership;

import io.keel.testkit.EtcdCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** The wiped-member scenario against a 3-member real etcd 3.4 cluster: the control. */
class EtcdWipedMemberRejoinTest extends WipedMemberRejoinScenario {

  @Override
  protected StoreCluster startCluster(Path workDir) {
    return EtcdCluster.start(workDir, 3, "--snapshot-count", "20");
  }

  @Override
  protected Pattern snapshotReceived() {
    return Pattern.compile("applied incoming snapshot at index \\d+");
  }
}
