package io.keel.cluster.registry;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The cluster's key layout in the store. Everything lives under {@code /keel/}:
 *
 * <pre>
 * /keel/version                         layout version ("1")
 * /keel/machines/&lt;id&gt;                   machine record, on the machine's presence lease
 * /keel/units/&lt;name&gt;                    unit file, hash, desired state
 * /keel/schedule/&lt;name&gt;                 the machine the engine chose (written by CAS)
 * /keel/state/&lt;name&gt;/&lt;machine&gt;          state reported by the agent, on the agent's lease
 * /keel/engine/leader                   the engine leader, on the leader's lease
 * /keel/engine/unschedulable/&lt;name&gt;     why the engine cannot place a unit
 * /keel/policy/...                      operators' policies for agents (e.g. /keel/policy/rootfs)
 * </pre>
 */
public final class Keys {

    public static final String ROOT = "/keel/";
    public static final String VERSION = "/keel/version";
    public static final String LAYOUT_VERSION = "1";
    public static final String MACHINES = "/keel/machines/";
    public static final String UNITS = "/keel/units/";
    public static final String SCHEDULE = "/keel/schedule/";
    public static final String STATE = "/keel/state/";
    public static final String ENGINE_LEADER = "/keel/engine/leader";
    public static final String UNSCHEDULABLE = "/keel/engine/unschedulable/";
    public static final String POLICY = "/keel/policy/";

    private Keys() {}

    public static String machine(String id) {
        return MACHINES + id;
    }

    public static String unit(String name) {
        return UNITS + name;
    }

    public static String schedule(String name) {
        return SCHEDULE + name;
    }

    public static String state(String name, String machineId) {
        return STATE + name + "/" + machineId;
    }

    /** The prefix of every state key of one unit. */
    public static String statesOf(String name) {
        return STATE + name + "/";
    }

    public static String unschedulable(String name) {
        return UNSCHEDULABLE + name;
    }

    public static ByteSequence bytes(String key) {
        return ByteSequence.from(key, StandardCharsets.UTF_8);
    }

    public static String string(ByteSequence bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The smallest key after every key that starts with {@code prefix}. */
    public static ByteSequence rangeEnd(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                byte[] trimmed = new byte[i + 1];
                System.arraycopy(end, 0, trimmed, 0, i + 1);
                return ByteSequence.from(trimmed);
            }
        }
        return ByteSequence.from(new byte[] {0});
    }

    /** What a key under {@code /keel/} refers to. */
    public sealed interface Ref {}

    public record MachineRef(String id) implements Ref {}

    public record UnitRef(String name) implements Ref {}

    public record ScheduleRef(String name) implements Ref {}

    public record StateRef(String name, String machineId) implements Ref {}

    public record LeaderRef() implements Ref {}

    public record UnschedulableRef(String name) implements Ref {}

    /** A policy key (the whole key: policies are read as plain strings by key). */
    public record PolicyRef(String key) implements Ref {}

    /** Classifies a key; empty for keys outside the layout (including {@code /keel/version}). */
    public static Optional<Ref> parse(String key) {
        if (key.startsWith(MACHINES)) {
            return nonEmpty(key, MACHINES).map(MachineRef::new);
        }
        if (key.startsWith(UNITS)) {
            return nonEmpty(key, UNITS).map(UnitRef::new);
        }
        if (key.startsWith(SCHEDULE)) {
            return nonEmpty(key, SCHEDULE).map(ScheduleRef::new);
        }
        if (key.startsWith(STATE)) {
            String rest = key.substring(STATE.length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new StateRef(rest.substring(0, slash), rest.substring(slash + 1)));
        }
        if (key.equals(ENGINE_LEADER)) {
            return Optional.of(new LeaderRef());
        }
        if (key.startsWith(UNSCHEDULABLE)) {
            return nonEmpty(key, UNSCHEDULABLE).map(UnschedulableRef::new);
        }
        if (key.startsWith(POLICY) && key.length() > POLICY.length()) {
            return Optional.of(new PolicyRef(key));
        }
        return Optional.empty();
    }

    private static Optional<String> nonEmpty(String key, String prefix) {
        String rest = key.substring(prefix.length());
        return rest.isEmpty() || rest.contains("/") ? Optional.empty() : Optional.of(rest);
    }
}
