package io.keel.lifecycle.update;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The launcher's boot step: {@code java -cp ... io.keel.lifecycle.update.BootSelect DATA_DIR}
 * makes one boot attempt ({@link Slots#boot()}) and prints the slot's directory on stdout, then
 * a rollback notice on stderr if there was one. Exits 1 with one line on stderr when no slot
 * may boot or the slot state is unreadable. Call it exactly once per start.
 */
public final class BootSelect {

    private BootSelect() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: BootSelect DATA_DIR");
            System.exit(2);
        }
        try {
            Slots slots = new Slots(Path.of(args[0]), Clock.systemUTC());
            SlotSelector.Selection s = slots.boot();
            System.out.println(slots.dir(s.slot()).toAbsolutePath());
            if (s.rolledBack()) {
                System.err.println("keel: " + s.table().rollback().describe());
            }
        } catch (RuntimeException e) {
            System.err.println("keel: " + e.getMessage());
            System.exit(1);
        }
    }
}
