package io.keel.agent.local;

import io.keel.agent.service.ServiceSpec;
import io.keel.agent.supervise.UnitStatus;
import io.keel.agent.supervise.UnitSupervisor;
import io.keel.cluster.registry.UnitStateRecord;
import io.keel.cluster.unit.JobState;
import java.util.Optional;

/**
 * One unit held by this machine's agent: the version it runs, the job state the agent applied, its
 * supervisor, and the last status the supervisor reported. A unit whose file cannot be run has no
 * supervisor and an {@code invalidReason} (systemd's load state {@code error}).
 *
 * <p>Mutable fields are written on the agent's executor only; other threads read them racily for
 * status output, which is acceptable for a snapshot.
 */
public final class LocalUnit {

    private final String name;
    private final String hash;
    private final String description;
    final ServiceSpec spec;
    private final String invalidReason;
    volatile UnitSupervisor supervisor;
    volatile JobState applied;
    volatile UnitStatus status;
    boolean adoptTried;
    StoreConfiguration configuration;
    volatile PolicyLauncher rootfs;

    /** For a container unit: whether its root filesystem is read-only at its last start, and why. */
    public Optional<String> rootfs() {
        PolicyLauncher p = rootfs;
        return p == null ? Optional.empty() : p.decision().map(RootfsPolicy.Decision::describe);
    }

    LocalUnit(String name, String hash, String description, ServiceSpec spec, String invalidReason) {
        this.name = name;
        this.hash = hash;
        this.description = description;
        this.spec = spec;
        this.invalidReason = invalidReason;
    }

    public String name() {
        return name;
    }

    public String hash() {
        return hash;
    }

    public String description() {
        return description;
    }

    public Optional<String> invalidReason() {
        return Optional.ofNullable(invalidReason);
    }

    public boolean isContainer() {
        return spec != null && spec.container().isPresent();
    }

    /** The supervisor's last status, or the status of a unit not started yet. */
    public Optional<UnitStatus> status() {
        UnitSupervisor s = supervisor;
        return s == null ? Optional.empty() : Optional.of(s.status());
    }

    public String loadState() {
        return invalidReason != null ? "error" : "loaded";
    }

    public String activeState() {
        return status().map(UnitStatus::activeState).orElse(invalidReason != null ? "failed" : "inactive");
    }

    public String subState() {
        return status().map(UnitStatus::subState).orElse(invalidReason != null ? "failed" : "dead");
    }

    UnitStateRecord stateRecord(String machineId) {
        return new UnitStateRecord(name, machineId, hash, applied.wireName(), loadState(), activeState(), subState());
    }
}
