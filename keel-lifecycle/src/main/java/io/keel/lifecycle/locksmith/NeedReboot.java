package io.keel.lifecycle.locksmith;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.keel.cluster.node.MachineId;
import io.keel.cluster.registry.Registry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The "reboot needed" flag of a machine at {@code /keel/lifecycle/need-reboot/<id>}: written by
 * {@code keel locksmith send-need-reboot}, watched by the machine's node, which then calls
 * {@link RebootCoordinator#rebootNeeded()} and clears it once it has rebooted. The value is the
 * time it was requested (ISO-8601).
 */
public final class NeedReboot {

    public static final String PREFIX = "/keel/lifecycle/need-reboot/";

    private final Registry registry;
    private final KV kv;

    public NeedReboot(Registry registry) {
        this.registry = registry;
        this.kv = registry.client().getKVClient();
    }

    public static String key(String machineId) {
        return PREFIX + MachineId.validate(machineId);
    }

    public void set(String machineId, Instant at) {
        registry.callAndWait("asking " + machineId + " to reboot", () -> kv.put(bytes(key(machineId)), bytes(at.toString())));
    }

    /** When the flag was set, if it is. */
    public Optional<Instant> get(String machineId) {
        GetResponse r = registry.callAndWait("reading the reboot flag of " + machineId, () -> kv.get(bytes(key(machineId))));
        if (r.getKvs().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(r.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            return Optional.of(Instant.EPOCH);
        }
    }

    public void clear(String machineId) {
        registry.callAndWait("clearing the reboot flag of " + machineId, () -> kv.delete(bytes(key(machineId))));
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
