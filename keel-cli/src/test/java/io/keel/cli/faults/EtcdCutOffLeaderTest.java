package io.keel.cli.faults;

import io.keel.testkit.EtcdCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;

/** The cut-off leader scenario against a 3-member real etcd 3.4 cluster: the control. */
class EtcdCutOffLeaderTest extends CutOffLeaderScenario {

    @Override
    protected StoreCluster startCluster(Path workDir) {
        return EtcdCluster.start(workDir, 3);
    }
}
