package io.keel.cli.cluster;

import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The cluster contract against a Keel store ({@code keel store}) in its own JVM. */
class KeelStoreClusterTest extends ClusterContract {

    @Override
    protected StoreProcess startStore(Path workDir) {
        return KeelStoreProcess.start(workDir, System.getProperty("java.class.path"));
    }
}
