package io.keel.api;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.keel.cluster.registry.Codec;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.MachineRecord;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.ScheduleRecord;
import io.keel.cluster.registry.UnitRecord;
import io.keel.cluster.registry.UnitStateRecord;
import io.keel.cluster.registry.Versioned;
import io.keel.cluster.unit.JobState;
import io.keel.cluster.unit.Requirements;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitFileException;
import io.keel.cluster.unit.UnitName;
import io.keel.cluster.unit.UnitOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * fleet API v1's resources on the registry, without HTTP: what each request means and which
 * {@link ApiException} it fails with. Reads are linearizable; a page's units, schedule and states
 * are read at one store revision.
 */
public final class FleetService {

    private final Registry registry;

    public FleetService(Registry registry) {
        this.registry = registry;
    }

    /** Outcome of a PUT on a unit. */
    public enum SetResult { CREATED, UPDATED }

    // ---- units

    public Schema.UnitPage units(String token) {
        ByteSequence from = token == null ? Keys.bytes(Keys.UNITS)
                : Registry.after(Keys.bytes(Keys.unit(PageToken.decode(token))));
        Registry.RangePage page = Registry.await(
                registry.range(from, Keys.rangeEnd(Keys.UNITS), PageToken.PAGE_SIZE, 0));
        if (page.kvs().isEmpty()) {
            return new Schema.UnitPage(List.of(), null);
        }
        String first = name(page.kvs().get(0), Keys.UNITS);
        String last = name(page.kvs().get(page.kvs().size() - 1), Keys.UNITS);
        Map<String, ScheduleRecord> schedule = new HashMap<>();
        for (KeyValue kv : Registry.await(registry.range(Keys.bytes(Keys.schedule(first)),
                Registry.after(Keys.bytes(Keys.schedule(last))), 0, page.revision())).kvs()) {
            schedule.put(name(kv, Keys.SCHEDULE), Codec.decode(Keys.string(kv.getKey()), kv.getValue(), ScheduleRecord.class));
        }
        Map<String, Map<String, UnitStateRecord>> states = new HashMap<>();
        for (KeyValue kv : Registry.await(registry.range(Keys.bytes(Keys.statesOf(first)),
                Keys.rangeEnd(Keys.statesOf(last)), 0, page.revision())).kvs()) {
            UnitStateRecord s = Codec.decode(Keys.string(kv.getKey()), kv.getValue(), UnitStateRecord.class);
            states.computeIfAbsent(s.name(), n -> new HashMap<>()).put(s.machineID(), s);
        }
        List<Schema.Unit> units = new ArrayList<>(page.kvs().size());
        for (KeyValue kv : page.kvs()) {
            UnitRecord u = Codec.decode(Keys.string(kv.getKey()), kv.getValue(), UnitRecord.class);
            units.add(toSchema(u, schedule.get(u.name()), states.getOrDefault(u.name(), Map.of())));
        }
        return new Schema.UnitPage(units, page.more() ? PageToken.encode(last) : null);
    }

    public Schema.Unit unit(String name) {
        ByteSequence key = Keys.bytes(Keys.unit(name));
        Registry.RangePage read = Registry.await(registry.range(key, Registry.after(key), 1, 0));
        if (read.kvs().isEmpty()) {
            throw ApiException.notFound("unit does not exist");
        }
        UnitRecord u = Codec.decode(Keys.unit(name), read.kvs().get(0).getValue(), UnitRecord.class);
        ByteSequence scheduleKey = Keys.bytes(Keys.schedule(name));
        Registry.RangePage scheduled = Registry.await(registry.range(scheduleKey, Registry.after(scheduleKey), 1,
                read.revision()));
        ScheduleRecord schedule = scheduled.kvs().isEmpty() ? null
                : Codec.decode(Keys.schedule(name), scheduled.kvs().get(0).getValue(), ScheduleRecord.class);
        Map<String, UnitStateRecord> states = new HashMap<>();
        for (KeyValue kv : Registry.await(registry.rangeAll(Keys.statesOf(name), read.revision())).kvs()) {
            UnitStateRecord s = Codec.decode(Keys.string(kv.getKey()), kv.getValue(), UnitStateRecord.class);
            states.put(s.machineID(), s);
        }
        return toSchema(u, schedule, states);
    }

    /**
     * fleet's Set: creates a unit from its options, or changes an existing unit's desired state.
     * Options that differ from the stored unit's replace it with a new version (what
     * {@code --replace} sends); the desired state is kept unless the request names one.
     */
    public SetResult setUnit(String pathName, Schema.Unit body) {
        if (body == null) {
            throw ApiException.badRequest("unable to decode body: empty");
        }
        String name = body.name() == null || body.name().isEmpty() ? pathName : body.name();
        if (!name.equals(pathName)) {
            throw ApiException.badRequest("name in URL \"" + pathName + "\" differs from unit name in request body \""
                    + body.name() + "\"");
        }
        UnitName unitName = validName(name);
        String desired = body.desiredState() == null || body.desiredState().isEmpty() ? null
                : validState(body.desiredState());
        List<UnitOption> options = body.options() == null ? List.of() : body.options();
        Optional<Versioned<UnitRecord>> existing = Registry.await(registry.unit(name));

        if (existing.isEmpty()) {
            if (options.isEmpty()) {
                throw ApiException.conflict("unit does not exist and options field empty");
            }
            UnitFile file = validFile(unitName, options);
            String state = desired == null ? JobState.INACTIVE.wireName() : desired;
            checkTemplate(unitName, state);
            if (!Registry.await(registry.createUnit(new UnitRecord(name, file.text(), file.hash(), state)))) {
                throw ApiException.conflict("unit " + name + " was created by another request at the same time");
            }
            return SetResult.CREATED;
        }

        if (!options.isEmpty()) {
            UnitFile file = validFile(unitName, options);
            if (!file.hash().equals(existing.get().value().hash())) {
                String state = desired == null ? existing.get().value().desiredState() : desired;
                checkTemplate(unitName, state);
                update(name, u -> new UnitRecord(name, file.text(), file.hash(), state));
                return SetResult.UPDATED;
            }
        }
        if (desired == null) {
            throw ApiException.conflict("must provide DesiredState to update existing unit");
        }
        checkTemplate(unitName, desired);
        update(name, u -> u.withDesiredState(desired));
        return SetResult.UPDATED;
    }

    public void destroy(String name) {
        if (!Registry.await(registry.destroyUnit(name))) {
            throw ApiException.notFound("unit does not exist");
        }
    }

    // ---- states

    public Schema.UnitStatePage states(String token, String unitName, String machineId) {
        String prefix = unitName == null || unitName.isEmpty() ? Keys.STATE : Keys.statesOf(unitName);
        ByteSequence from = token == null ? Keys.bytes(prefix)
                : Registry.after(Keys.bytes(Keys.STATE + PageToken.decode(token)));
        List<Schema.UnitState> states = new ArrayList<>();
        long revision = 0;
        while (true) {
            Registry.RangePage page = Registry.await(
                    registry.range(from, Keys.rangeEnd(prefix), PageToken.PAGE_SIZE, revision));
            if (revision == 0) {
                revision = page.revision(); // later pages are read at the first page's revision
            }
            List<KeyValue> kvs = page.kvs();
            for (int i = 0; i < kvs.size(); i++) {
                KeyValue kv = kvs.get(i);
                UnitStateRecord s = Codec.decode(Keys.string(kv.getKey()), kv.getValue(), UnitStateRecord.class);
                if (machineId == null || machineId.isEmpty() || machineId.equals(s.machineID())) {
                    states.add(new Schema.UnitState(s.name(), s.hash(), s.machineID(), s.systemdLoadState(),
                            s.systemdActiveState(), s.systemdSubState()));
                }
                if (states.size() == PageToken.PAGE_SIZE) {
                    boolean more = i < kvs.size() - 1 || page.more();
                    String last = Keys.string(kv.getKey()).substring(Keys.STATE.length());
                    return new Schema.UnitStatePage(states, more ? PageToken.encode(last) : null);
                }
            }
            if (!page.more() || kvs.isEmpty()) {
                return new Schema.UnitStatePage(states, null);
            }
            from = Registry.after(kvs.get(kvs.size() - 1).getKey());
        }
    }

    // ---- machines

    public Schema.MachinePage machines(String token) {
        ByteSequence from = token == null ? Keys.bytes(Keys.MACHINES)
                : Registry.after(Keys.bytes(Keys.machine(PageToken.decode(token))));
        Registry.RangePage page = Registry.await(
                registry.range(from, Keys.rangeEnd(Keys.MACHINES), PageToken.PAGE_SIZE, 0));
        List<Schema.Machine> machines = new ArrayList<>();
        String last = null;
        for (KeyValue kv : page.kvs()) {
            MachineRecord m = Codec.decode(Keys.string(kv.getKey()), kv.getValue(), MachineRecord.class);
            last = m.id();
            machines.add(new Schema.Machine(m.id(), m.publicIP(), m.metadata(),
                    new Schema.Capacity(m.capacity().cpuMillis(), m.capacity().memoryBytes()), m.version()));
        }
        return new Schema.MachinePage(machines, page.more() && last != null ? PageToken.encode(last) : null);
    }

    // ---- keel extensions

    public Schema.UnschedulableList unschedulable() {
        List<Schema.Unschedulable> units = new ArrayList<>();
        for (KeyValue kv : Registry.await(registry.rangeAll(Keys.UNSCHEDULABLE, 0)).kvs()) {
            units.add(new Schema.Unschedulable(name(kv, Keys.UNSCHEDULABLE), Keys.string(kv.getValue())));
        }
        return new Schema.UnschedulableList(units);
    }

    // ---- helpers

    private void update(String name, java.util.function.UnaryOperator<UnitRecord> change) {
        if (Registry.await(registry.updateUnit(name, change)).isEmpty()) {
            throw ApiException.notFound("unit does not exist");
        }
    }

    static Schema.Unit toSchema(UnitRecord u, ScheduleRecord schedule, Map<String, UnitStateRecord> states) {
        List<UnitOption> options;
        boolean global = false;
        try {
            UnitFile file = UnitFile.parse(u.unitFile());
            options = file.options();
            global = Requirements.of(UnitName.parse(u.name()), file).global();
        } catch (UnitFileException e) {
            options = List.of();
        }
        String machine = schedule == null ? null : schedule.machineID();
        String current;
        if (machine != null) {
            UnitStateRecord reported = states.get(machine);
            current = reported == null || reported.jobState() == null ? JobState.INACTIVE.wireName() : reported.jobState();
        } else {
            current = global ? null : JobState.INACTIVE.wireName();
        }
        return new Schema.Unit(u.name(), options, u.desiredState(), current, machine);
    }

    private static UnitName validName(String name) {
        try {
            return UnitName.parse(name);
        } catch (UnitFileException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static String validState(String state) {
        try {
            return JobState.parse(state).wireName();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static UnitFile validFile(UnitName name, List<UnitOption> options) {
        for (UnitOption option : options) {
            if (option == null || option.section() == null || option.name() == null || option.value() == null) {
                throw ApiException.badRequest("unit " + name + ": every option needs section, name and value");
            }
        }
        try {
            UnitFile file = UnitFile.of(options);
            Requirements.of(name, file);
            return file;
        } catch (UnitFileException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static void checkTemplate(UnitName name, String state) {
        if (name.isTemplate() && !JobState.INACTIVE.wireName().equals(state)) {
            throw ApiException.badRequest("unit " + name + " is a template: " + state.replace("launched", "start")
                    .replace("loaded", "load") + " an instance of it, such as " + name.prefix() + "@1." + name.suffix());
        }
    }

    private static String name(KeyValue kv, String prefix) {
        return Keys.string(kv.getKey()).substring(prefix.length());
    }
}
