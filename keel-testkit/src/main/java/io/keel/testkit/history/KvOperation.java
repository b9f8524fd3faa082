package io.keel.testkit.history;

import java.util.Objects;

/**
 * One completed entry of a history: a client's operation, when it was invoked and when it
 * returned (both {@link System#nanoTime()} of the recording JVM), and its output. An operation
 * with an {@link KvOutput.Unknown} output has no meaningful return time: the checker lets it take
 * effect at any point after {@code invokeNanos}, or not at all.
 */
public record KvOperation(int id, String client, KvInput input, KvOutput output, long invokeNanos, long returnNanos) {

    public KvOperation {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        if (returnNanos < invokeNanos) {
            throw new IllegalArgumentException("operation " + id + " returns before it is invoked");
        }
        boolean matches = switch (input) {
            case KvInput.Read r -> output instanceof KvOutput.ReadOk || output instanceof KvOutput.Unknown;
            case KvInput.Write w -> output instanceof KvOutput.WriteOk || output instanceof KvOutput.Unknown;
            case KvInput.Cas c -> output instanceof KvOutput.CasOk || output instanceof KvOutput.Unknown;
        };
        if (!matches) {
            throw new IllegalArgumentException("output " + output + " does not answer " + input);
        }
    }

    public String key() {
        return input.key();
    }

    public boolean isUnknown() {
        return output instanceof KvOutput.Unknown;
    }

    @Override
    public String toString() {
        return "#" + id + " " + client + " " + key() + " " + input + " -> " + output;
    }
}
