package io.keel.cli.agent;

import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The agent scenario on a Keel store ({@code keel store}) in its own JVM. */
class KeelStoreAgentScenarioTest extends AgentScenario {

    @Override
    protected StoreProcess startStore(Path workDir) {
        return KeelStoreProcess.start(workDir, System.getProperty("java.class.path"));
    }

    @Override
    protected String machinePrefix() {
        return "keel-m-";
    }
}
