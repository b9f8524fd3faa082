package io.keel.cli.faults;

import io.keel.testkit.KeelStoreCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;

/** Five-member linearizable reads against a Keel store cluster, one JVM per member. */
class KeelFiveMemberReadsTest extends FiveMemberReadsScenario {

    @Override
    protected StoreCluster startCluster(Path workDir) {
        return KeelStoreCluster.start(workDir, 5, System.getProperty("java.class.path"));
    }
}
