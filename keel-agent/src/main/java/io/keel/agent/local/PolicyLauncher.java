package io.keel.agent.local;

import io.keel.agent.runtime.LaunchException;
import io.keel.agent.runtime.MainLauncher;
import io.keel.agent.runtime.OutputSink;
import io.keel.agent.runtime.RunningProcess;
import io.keel.agent.service.ContainerSpec;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts a container unit with its root filesystem read-only or writable as {@link RootfsPolicy}
 * decides at that start (so a policy changed in the store applies from the unit's next start).
 */
final class PolicyLauncher implements MainLauncher {

    private final String unit;
    private final String unitHash;
    private final ContainerSpec spec;
    private final Optional<Boolean> declared;
    private final Supplier<Map<String, String>> policies;
    private final UnitRuntimes runtimes;
    private volatile RootfsPolicy.Decision last;

    PolicyLauncher(String unit, String unitHash, ContainerSpec spec, Optional<Boolean> declared,
            Supplier<Map<String, String>> policies, UnitRuntimes runtimes) {
        this.unit = unit;
        this.unitHash = unitHash;
        this.spec = spec;
        this.declared = declared;
        this.policies = policies;
        this.runtimes = runtimes;
    }

    /** The decision of the last start or adoption, if any. */
    Optional<RootfsPolicy.Decision> decision() {
        return Optional.ofNullable(last);
    }

    @Override
    public RunningProcess start(Map<String, String> environment, OutputSink output) throws LaunchException {
        RootfsPolicy.Decision decision = RootfsPolicy.decide(unit, declared, policies.get());
        last = decision;
        output.agent(unit + ": root filesystem " + decision.describe());
        ContainerSpec decided = new ContainerSpec(spec.image(), spec.exec(), spec.environment(), spec.volumes(),
                spec.tmpfs(), decision.readOnly(), spec.memoryBytes(), spec.cpuMillis(), spec.network(), spec.healthCmd(),
                spec.healthInterval());
        return runtimes.container(unit, unitHash, decided).start(environment, output);
    }

    @Override
    public Optional<RunningProcess> adopt(OutputSink output) {
        Optional<RunningProcess> adopted = runtimes.container(unit, unitHash, spec).adopt(output);
        if (adopted.isPresent()) {
            last = RootfsPolicy.decide(unit, declared, policies.get());
        }
        return adopted;
    }
}
