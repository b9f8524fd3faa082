package io.keel.agent.runtime;

/** The POSIX signals the supervisor sends, with their Linux numbers. */
public enum Signal {
    HUP(1), INT(2), QUIT(3), KILL(9), USR1(10), USR2(12), PIPE(13), TERM(15);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static java.util.Optional<Signal> ofNumber(int number) {
        for (Signal s : values()) {
            if (s.number == number) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
