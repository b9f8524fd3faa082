package io.keel.lifecycle.locksmith;

import java.util.regex.Pattern;

/**
 * Where locksmith keeps its semaphores. The global lock is at {@link #GLOBAL}; a group's at
 * {@code coreos.com/updateengine/rebootlock/groups/<group>/semaphore}. Group names are 1-63
 * letters, digits and {@code ._-}.
 */
public final class LockKeys {

    public static final String PREFIX = "coreos.com/updateengine/rebootlock/";
    public static final String GLOBAL = PREFIX + "semaphore";
    public static final String GROUPS = PREFIX + "groups/";
    /** The group FleetLock clients (Zincati) use by default; it maps to the global semaphore. */
    public static final String FLEETLOCK_DEFAULT_GROUP = "default";

    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,63}");

    private LockKeys() {}

    /** The semaphore key of a locksmith group; null or empty means the global semaphore. */
    public static String forGroup(String group) {
        if (group == null || group.isEmpty()) {
            return GLOBAL;
        }
        return GROUPS + validGroup(group) + "/semaphore";
    }

    /** The semaphore key of a FleetLock group: {@code default} is the global semaphore. */
    public static String forFleetLockGroup(String group) {
        if (group == null || group.isEmpty()) {
            throw new IllegalArgumentException("group is missing");
        }
        return FLEETLOCK_DEFAULT_GROUP.equals(group) ? GLOBAL : forGroup(group);
    }

    public static String validGroup(String group) {
        if (group == null || !GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException("group '" + group
                    + "' is invalid: use 1-63 letters, digits and ._-");
        }
        if (group.equals(".") || group.equals("..")) {
            throw new IllegalArgumentException("group '" + group + "' is invalid: it cannot be . or ..");
        }
        return group;
    }

    /** Whether {@code key} is a semaphore key (global or a group's). */
    public static boolean isSemaphoreKey(String key) {
        if (GLOBAL.equals(key)) {
            return true;
        }
        if (!key.startsWith(GROUPS) || !key.endsWith("/semaphore")) {
            return false;
        }
        String group = key.substring(GROUPS.length(), key.length() - "/semaphore".length());
        return GROUP.matcher(group).matches();
    }
}
