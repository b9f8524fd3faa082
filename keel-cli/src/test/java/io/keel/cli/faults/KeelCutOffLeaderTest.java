package io.keel.cli.faults;

import io.keel.testkit.KeelStoreCluster;
import io.keel.testkit.StoreCluster;
import java.nio.file.Path;

/** The cut-off leader scenario against a 3-member Keel store cluster, one JVM per member. */
class KeelCutOffLeaderTest extends CutOffLeaderScenario {

    @Override
    protected StoreCluster startCluster(Path workDir) {
        return KeelStoreCluster.start(workDir, 3, System.getProperty("java.class.path"));
    }
}
