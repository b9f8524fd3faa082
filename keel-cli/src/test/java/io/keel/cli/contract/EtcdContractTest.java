package io.keel.cli.contract;

import io.keel.testkit.EtcdProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The etcd v3 contract against real etcd 3.4: proves that the contract describes etcd. */
class EtcdContractTest extends StoreContract {

    @Override
    protected StoreProcess startStore(Path workDir) {
        return EtcdProcess.start(workDir);
    }
}
