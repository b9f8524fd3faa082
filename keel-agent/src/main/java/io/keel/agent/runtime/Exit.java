package io.keel.agent.runtime;

/**
 * How a process or container ended: an exit code, or the signal that killed it (then
 * {@code signal > 0} and {@code code} is meaningless). Shells and Docker report death by signal N
 * as exit code 128+N; launchers that only see such a code report it as a code.
 */
public record Exit(int code, int signal) {

    public static Exit ofCode(int code) {
        return new Exit(code, 0);
    }

    public static Exit ofSignal(int signal) {
        return new Exit(0, signal);
    }

    public boolean killedBySignal() {
        return signal > 0;
    }

    /**
     * systemd's "clean" exit: code 0, or death by SIGHUP, SIGINT, SIGTERM or SIGPIPE (as for
     * {@code Restart=on-success}).
     */
    public boolean clean() {
        if (killedBySignal()) {
            return signal == Signal.HUP.number() || signal == Signal.INT.number()
                    || signal == Signal.TERM.number() || signal == Signal.PIPE.number();
        }
        return code == 0;
    }

    /** systemd's wording, e.g. {@code code=exited, status=1} or {@code code=killed, signal=KILL}. */
    public String describe() {
        if (killedBySignal()) {
            return "code=killed, signal=" + Signal.ofNumber(signal).map(Enum::name).orElse(Integer.toString(signal));
        }
        return "code=exited, status=" + code + (code == 0 ? "/SUCCESS" : "/FAILURE");
    }
}
