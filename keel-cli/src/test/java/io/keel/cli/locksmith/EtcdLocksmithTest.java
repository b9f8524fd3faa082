package io.keel.cli.locksmith;

import io.keel.testkit.EtcdProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The locksmith contract against a real etcd 3.4. */
class EtcdLocksmithTest extends LocksmithContract {

    @Override
    protected StoreProcess startStore(Path workDir) {
        return EtcdProcess.start(workDir);
    }
}
