package io.keel.cli.faults;

import io.keel.testkit.EtcdCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;

/** The fault-injection scenario against a 3-member real etcd 3.4 cluster: the control, it must pass. */
class EtcdFaultInjectionTest extends FaultInjectionScenario {

    @Override
    protected StoreCluster startCluster(Path workDir) {
        return EtcdCluster.start(workDir, 3);
    }
}
