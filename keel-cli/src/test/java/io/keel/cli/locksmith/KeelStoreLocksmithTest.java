package io.keel.cli.locksmith;

import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The locksmith contract against a Keel store ({@code keel store}) in its own JVM. */
class KeelStoreLocksmithTest extends LocksmithContract {

    @Override
    protected StoreProcess startStore(Path workDir) {
        return KeelStoreProcess.start(workDir, System.getProperty("java.class.path"));
    }
}
