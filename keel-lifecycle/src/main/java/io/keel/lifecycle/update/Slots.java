package io.keel.lifecycle.update;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A machine's two slots under {@code <dataDir>/slots/}: {@code A/} and {@code B/}, each holding a
 * release's {@code manifest.json}, payload and, for a {@code .zip} payload, its contents in
 * {@code dist/}; their flags in {@code slots.json}, replaced atomically on every change. The
 * active slot is the one booted last; the other is passive and receives updates.
 */
public final class Slots {

    public static final String STATE_FILE = "slots.json";
    public static final String DIST_DIR = "dist";
    public static final String STAGING_DIR = "staging";
    /** Boot attempts a freshly installed slot gets before the machine rolls back. */
    public static final int NEW_SLOT_TRIES = 3;

    private final Path root;
    private final Clock clock;

    public Slots(Path dataDir, Clock clock) {
        this.root = dataDir.resolve("slots");
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    public Path dir(SlotName slot) {
        return root.resolve(slot.name());
    }

    /** The current table; {@link SlotTable#fresh()} if none was written yet. */
    public synchronized SlotTable read() {
        Path file = root.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return SlotTable.fresh();
        }
        try {
            return SlotTable.parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(SlotTable table) {
        Json.writeAtomically(root.resolve(STATE_FILE), table.toJson());
    }

    /**
     * A boot attempt: selects the slot to boot, uses one of its tries if it has not yet succeeded,
     * records a rollback if there is one, and persists all that before returning.
     */
    public synchronized SlotSelector.Selection boot() {
        SlotSelector.Selection s = SlotSelector.select(read(), clock.instant());
        write(s.table());
        return s;
    }

    /** The active slot became healthy: it keeps booting from now on. */
    public synchronized void markSuccessful() {
        SlotTable t = read();
        if (!t.get(t.active()).successful()) {
            write(t.with(t.active(), t.get(t.active()).markedSuccessful()));
        }
    }

    /** The active slot failed its health check: the next boot rolls back unless it already succeeded once. */
    public synchronized void markFailed() {
        SlotTable t = read();
        SlotState s = t.get(t.active());
        if (!s.successful() && s.tries() > 0) {
            write(t.with(t.active(), s.withTries(0)));
        }
    }

    /**
     * Withdraws a release installed in the passive slot but not booted yet (it was found bad on
     * another machine): the passive slot becomes unbootable, so the next start stays on the active one.
     *
     * @return the version withdrawn, or empty if the passive slot held nothing bootable
     */
    public synchronized java.util.Optional<String> discardPassive() {
        SlotTable t = read();
        SlotState passive = t.get(t.passive());
        if (!passive.bootable()) {
            return java.util.Optional.empty();
        }
        write(t.with(t.passive(), passive.withPriority(0).withTries(0)));
        return java.util.Optional.ofNullable(passive.version());
    }

    /** An empty staging directory in the passive slot for a download. */
    public synchronized Path prepareStaging() {
        Path staging = dir(read().passive()).resolve(STAGING_DIR);
        deleteRecursively(staging);
        try {
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + staging + ": " + e.getMessage(), e);
        }
        return staging;
    }

    /**
     * Installs a verified release into the passive slot and makes it the next to boot: priority
     * above the active slot's, {@value #NEW_SLOT_TRIES} tries, not yet successful. The slot is
     * unbootable (priority 0) while its files change, so a crash midway never boots half a release.
     *
     * @return the slot installed into
     */
    public synchronized SlotName installToPassive(Manifest manifest, Path payload) {
        SlotTable t = read();
        SlotName passive = t.passive();
        Path dir = dir(passive);
        write(t.with(passive, SlotState.empty()));
        try {
            Files.createDirectories(dir);
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path p : entries.toList()) {
                    if (!p.equals(payload.getParent()) && !p.getFileName().toString().equals(STAGING_DIR)) {
                        deleteRecursively(p);
                    }
                }
            }
            Path target = dir.resolve(manifest.payload());
            Files.move(payload, target, StandardCopyOption.REPLACE_EXISTING);
            if (manifest.payload().endsWith(".zip")) {
                unzip(target, dir.resolve(DIST_DIR));
            }
            manifest.write(dir.resolve(Manifest.FILE_NAME));
            deleteRecursively(dir.resolve(STAGING_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install into slot " + passive + " (" + dir + "): " + e.getMessage(), e);
        }
        SlotState active = t.get(t.active());
        int priority = Math.min(SlotState.MAX, active.priority() + 1);
        SlotTable next = t.with(passive, new SlotState(manifest.version().text(), priority, NEW_SLOT_TRIES, false))
                .withRollback(null);
        if (active.priority() >= priority) {
            next = next.with(t.active(), active.withPriority(priority - 1));
        }
        write(next);
        return passive;
    }

    private static void unzip(Path zip, Path to) throws IOException {
        Files.createDirectories(to);
        Path base = to.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path out = base.resolve(e.getName()).normalize();
                if (!out.startsWith(base) || out.equals(base)) {
                    throw new UpdateException("payload " + zip.getFileName() + " has an entry outside the slot: "
                            + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    copy(in, out);
                }
            }
        }
    }

    private static void copy(InputStream in, Path out) throws IOException {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes {@code p} and everything under it, if it exists (symbolic links are not followed). */
    public static void deleteRecursively(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
