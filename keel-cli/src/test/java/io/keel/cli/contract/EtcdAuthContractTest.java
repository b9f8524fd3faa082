package io.keel.cli.contract;

import io.keel.testkit.EtcdProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The auth contract against real etcd 3.4: proves that the contract describes etcd. */
class EtcdAuthContractTest extends AuthContract {

    @Override
    protected StoreProcess startStore(Path workDir) {
        return EtcdProcess.start(workDir);
    }
}
