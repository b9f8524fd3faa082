package io.keel.cli.contract;

import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The auth contract against a Keel store ({@code keel store}) in its own JVM. */
class KeelAuthContractTest extends AuthContract {

    @Override
    protected StoreProcess startStore(Path workDir) {
        return KeelStoreProcess.start(workDir, System.getProperty("java.class.path"));
    }
}
