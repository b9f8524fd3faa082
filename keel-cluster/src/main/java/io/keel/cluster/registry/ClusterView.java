package io.keel.cluster.registry;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory copy of everything under {@code /keel/} at one store revision, kept current by
 * applying watch events in revision order. Not thread-safe: one owner (the engine's thread, or a
 * reader that loaded it) applies and reads.
 */
public final class ClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

    private final Map<String, Versioned<MachineRecord>> machines = new TreeMap<>();
    private final Map<String, Versioned<UnitRecord>> units = new TreeMap<>();
    private final Map<String, Versioned<ScheduleRecord>> schedule = new HashMap<>();
    private final Map<String, Map<String, Versioned<UnitStateRecord>>> states = new HashMap<>();
    private final Map<String, Versioned<String>> unschedulable = new HashMap<>();
    private final Map<String, String> policies = new TreeMap<>();
    private Versioned<String> leader;
    private long revision;

    /** The store revision this view reflects. */
    public long revision() {
        return revision;
    }

    public void advanceTo(long newRevision) {
        revision = Math.max(revision, newRevision);
    }

    /** Machines by id, sorted. */
    public Map<String, Versioned<MachineRecord>> machines() {
        return Collections.unmodifiableMap(machines);
    }

    /** Units by name, sorted. */
    public Map<String, Versioned<UnitRecord>> units() {
        return Collections.unmodifiableMap(units);
    }

    public Map<String, Versioned<ScheduleRecord>> schedule() {
        return Collections.unmodifiableMap(schedule);
    }

    /** Reported states of one unit, by machine id. */
    public Map<String, Versioned<UnitStateRecord>> states(String unit) {
        return Collections.unmodifiableMap(states.getOrDefault(unit, Map.of()));
    }

    public Map<String, Versioned<String>> unschedulable() {
        return Collections.unmodifiableMap(unschedulable);
    }

    /** Policy keys under {@code /keel/policy/} (whole key to value), sorted. */
    public Map<String, String> policies() {
        return Collections.unmodifiableMap(policies);
    }

    public Optional<Versioned<String>> leader() {
        return Optional.ofNullable(leader);
    }

    /**
     * Applies a key's new value (a put). Returns what the key refers to, or empty if it is not
     * part of the layout or its value is malformed (then the key is treated as absent).
     */
    public Optional<Keys.Ref> put(KeyValue kv) {
        String key = Keys.string(kv.getKey());
        advanceTo(kv.getModRevision());
        Optional<Keys.Ref> ref = Keys.parse(key);
        if (ref.isEmpty()) {
            return ref;
        }
        try {
            switch (ref.get()) {
                case Keys.MachineRef m -> machines.put(m.id(),
                        versioned(kv, Codec.decode(key, kv.getValue(), MachineRecord.class)));
                case Keys.UnitRef u -> units.put(u.name(),
                        versioned(kv, Codec.decode(key, kv.getValue(), UnitRecord.class)));
                case Keys.ScheduleRef s -> schedule.put(s.name(),
                        versioned(kv, Codec.decode(key, kv.getValue(), ScheduleRecord.class)));
                case Keys.StateRef s -> states.computeIfAbsent(s.name(), n -> new HashMap<>()).put(s.machineId(),
                        versioned(kv, Codec.decode(key, kv.getValue(), UnitStateRecord.class)));
                case Keys.LeaderRef l -> leader = versioned(kv, Keys.string(kv.getValue()));
                case Keys.UnschedulableRef u -> unschedulable.put(u.name(), versioned(kv, Keys.string(kv.getValue())));
                case Keys.PolicyRef p -> policies.put(p.key(), Keys.string(kv.getValue()));
            }
            return ref;
        } catch (RegistryException e) {
            LOG.warn("ignoring {}", e.getMessage());
            delete(key, kv.getModRevision());
            return Optional.empty();
        }
    }

    /** Applies a deletion of {@code key} at {@code atRevision}. */
    public Optional<Keys.Ref> delete(ByteSequence key, long atRevision) {
        return delete(Keys.string(key), atRevision);
    }

    private Optional<Keys.Ref> delete(String key, long atRevision) {
        advanceTo(atRevision);
        Optional<Keys.Ref> ref = Keys.parse(key);
        ref.ifPresent(r -> {
            switch (r) {
                case Keys.MachineRef m -> machines.remove(m.id());
                case Keys.UnitRef u -> units.remove(u.name());
                case Keys.ScheduleRef s -> schedule.remove(s.name());
                case Keys.StateRef s -> {
                    Map<String, Versioned<UnitStateRecord>> byMachine = states.get(s.name());
                    if (byMachine != null) {
                        byMachine.remove(s.machineId());
                        if (byMachine.isEmpty()) {
                            states.remove(s.name());
                        }
                    }
                }
                case Keys.LeaderRef l -> leader = null;
                case Keys.UnschedulableRef u -> unschedulable.remove(u.name());
                case Keys.PolicyRef p -> policies.remove(p.key());
            }
        });
        return ref;
    }

    private static <T> Versioned<T> versioned(KeyValue kv, T value) {
        return new Versioned<>(value, kv.getCreateRevision(), kv.getModRevision(), kv.getLease());
    }
}
