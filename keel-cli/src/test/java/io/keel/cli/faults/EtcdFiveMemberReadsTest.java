package io.keel.cli.faults;

import io.keel.testkit.EtcdCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;

/** Five-member linearizable reads against a real etcd 3.4 cluster: the control. */
class EtcdFiveMemberReadsTest extends FiveMemberReadsScenario {

    @Override
    protected StoreCluster startCluster(Path workDir) {
        return EtcdCluster.start(workDir, 5);
    }
}
