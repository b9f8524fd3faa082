package io.keel.api;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** What the serving node's agent knows about the units on its own machine (status and journal). */
public interface LocalUnits {

    /** systemctl-style status text of a unit this machine holds, with its last journal lines. */
    Optional<String> status(String unit);

    /** The last {@code lines} journal lines of a unit this machine has a journal for. */
    Optional<List<String>> journal(String unit, int lines);

    /**
     * Delivers the last {@code lines} lines, then every new line, until the returned handle is
     * closed. Throws if this machine has no journal for the unit.
     */
    AutoCloseable follow(String unit, int lines, Consumer<String> onLine) throws IOException;

    /** A node without an agent. */
    LocalUnits NONE = new LocalUnits() {
        @Override
        public Optional<String> status(String unit) {
            return Optional.empty();
        }

        @Override
        public Optional<List<String>> journal(String unit, int lines) {
            return Optional.empty();
        }

        @Override
        public AutoCloseable follow(String unit, int lines, Consumer<String> onLine) throws IOException {
            throw new IOException("this node runs no agent");
        }
    };
}
