package io.keel.cli.contract;

import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The etcd v3 contract against a Keel store ({@code keel store}) in its own JVM. */
class KeelStoreContractTest extends StoreContract {

    @Override
    protected StoreProcess startStore(Path workDir) {
        return KeelStoreProcess.start(workDir, System.getProperty("java.class.path"));
    }
}
