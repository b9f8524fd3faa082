package io.keel.agent.service;

import java.util.Locale;

/**
 * {@code Restart=}: which endings of a unit restart it, as systemd's table says. The supervisor
 * passes the unit's result: {@code success}, {@code exit-code}, {@code signal}, {@code timeout},
 * {@code resources}; {@code start-limit-hit} never restarts.
 */
public enum RestartPolicy {
    NO, ON_SUCCESS, ON_FAILURE, ON_ABNORMAL, ON_ABORT, ALWAYS;

    public String unitValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static RestartPolicy ofUnitValue(String value) {
        for (RestartPolicy p : values()) {
            if (p.unitValue().equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException(value);
    }

    /** Whether a unit that ended with {@code result} (systemd's result names) restarts. */
    public boolean restartsAfter(String result) {
        boolean success = result.equals("success");
        boolean abnormalSignal = result.equals("signal") || result.equals("core-dump");
        return switch (this) {
            case NO -> false;
            case ALWAYS -> !result.equals("start-limit-hit");
            case ON_SUCCESS -> success;
            case ON_FAILURE -> !success && !result.equals("start-limit-hit");
            case ON_ABNORMAL -> abnormalSignal || result.equals("timeout") || result.equals("watchdog");
            case ON_ABORT -> abnormalSignal;
        };
    }
}
