package io.keel.cli.store;

import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** etcd's client-port gRPC flags on a Keel store. */
class KeelGrpcFlagsTest extends GrpcFlagsScenario {
    @Override
    protected StoreProcess start(Path workDir, String... flags) {
        return KeelStoreProcess.start(workDir, System.getProperty("java.class.path"), flags);
    }
}
