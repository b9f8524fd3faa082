package io.keel.cli.store;

import io.keel.testkit.EtcdProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** etcd's client-port gRPC flags on a real etcd 3.4: the control. */
class EtcdGrpcFlagsTest extends GrpcFlagsScenario {
    @Override
    protected StoreProcess start(Path workDir, String... flags) {
        return EtcdProcess.start(workDir, flags);
    }
}
