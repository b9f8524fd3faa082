package io.keel.cli.agent;

import io.keel.testkit.EtcdProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The agent scenario on a real etcd 3.4. */
class EtcdAgentScenarioTest extends AgentScenario {

    @Override
    protected StoreProcess startStore(Path workDir) {
        return EtcdProcess.start(workDir);
    }

    @Override
    protected String machinePrefix() {
        return "etcd-m-";
    }
}
