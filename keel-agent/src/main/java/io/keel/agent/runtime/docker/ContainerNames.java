package io.keel.agent.runtime.docker;

import java.util.regex.Pattern;

/** Container names that satisfy Docker's rule {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}. */
final class ContainerNames {

    private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-zA-Z0-9_.-]");

    private ContainerNames() {}

    /** {@code keel-<machineId>-<unit>} with every character Docker refuses replaced by {@code -}. */
    static String of(String machineId, String unit) {
        return NOT_ALLOWED.matcher("keel-" + machineId + "-" + unit).replaceAll("-");
    }
}
