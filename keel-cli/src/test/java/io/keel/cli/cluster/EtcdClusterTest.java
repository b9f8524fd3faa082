package io.keel.cli.cluster;

import io.keel.testkit.EtcdProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The cluster contract against a real etcd 3.4. */
class EtcdClusterTest extends ClusterContract {

    @Override
    protected StoreProcess startStore(Path workDir) {
        return EtcdProcess.start(workDir);
    }
}
