package io.keel.agent.journal;

import io.keel.agent.runtime.OutputSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Per-unit log files: {@code <dir>/<unit>.log}, rotated to {@code <unit>.log.1} when the next line
 * would take it over the maximum size (one rotated file is kept, so a unit uses at most about twice
 * the maximum).
 *
 * <p>Lines are in journalctl's short format, {@code Nov 26 02:12:46 <machineId> <identifier>: text},
 * with the time in the clock's zone. A unit's output lines use the unit name as identifier
 * ({@code web@1.service: text}; the sink does not know process ids); lines written through
 * {@link OutputSink#agent} use {@code keel[agent]}. Line breaks inside a line become spaces.
 *
 * <p>Appends are thread-safe (one lock per unit). {@link #follow} is served from memory by this
 * journal (the only writer of its files), so it sees every line once, rotation included; its
 * consumer is called on a thread of its own, in order.
 */
public final class Journal {

    public static final long DEFAULT_MAX_BYTES = 1024 * 1024;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ENGLISH);

    private final Path dir;
    private final String machineId;
    private final Clock clock;
    private final long maxBytes;
    private final Map<String, UnitLog> logs = new ConcurrentHashMap<>();

    public Journal(Path dir, String machineId, Clock clock) {
        this(dir, machineId, clock, DEFAULT_MAX_BYTES);
    }

    public Journal(Path dir, String machineId, Clock clock, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.dir = dir;
        this.machineId = machineId;
        this.clock = clock;
        this.maxBytes = maxBytes;
    }

    /** The sink that appends a unit's lines to its log. */
    public OutputSink sink(String unit) {
        UnitLog log = log(unit);
        return new OutputSink() {
            @Override
            public void line(boolean stderr, String line) {
                log.append(format(unit, line));
            }

            @Override
            public void agent(String message) {
                log.append(format("keel[agent]", message));
            }
        };
    }

    /** The last {@code lines} lines of the unit's log, oldest first, across the rotated file. */
    public List<String> tail(String unit, int lines) {
        UnitLog log = log(unit);
        synchronized (log) {
            return log.tail(lines);
        }
    }

    /**
     * Delivers the last {@code lastLines} lines, then every new line, to {@code onLine} until the
     * returned handle is closed.
     */
    public AutoCloseable follow(String unit, int lastLines, Consumer<String> onLine) {
        UnitLog log = log(unit);
        ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "journal-follow-" + unit);
            t.setDaemon(true);
            return t;
        });
        Consumer<String> follower = line -> delivery.execute(() -> onLine.accept(line));
        synchronized (log) {
            log.tail(lastLines).forEach(follower);
            log.followers.add(follower);
        }
        return () -> {
            log.followers.remove(follower);
            delivery.shutdown();
        };
    }

    /** Deletes the unit's log files. */
    public void remove(String unit) {
        UnitLog log = log(unit);
        synchronized (log) {
            log.close();
            try {
                Files.deleteIfExists(log.file);
                Files.deleteIfExists(log.rotated);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Where a unit's current log file is. */
    public Path file(String unit) {
        return dir.resolve(validate(unit) + ".log");
    }

    private UnitLog log(String unit) {
        validate(unit);
        return logs.computeIfAbsent(unit, u -> new UnitLog(dir.resolve(u + ".log"), dir.resolve(u + ".log.1")));
    }

    static String validate(String unit) {
        if (unit == null || unit.isEmpty() || unit.contains("/") || unit.contains("..") || unit.startsWith(".")
                || unit.indexOf('\0') >= 0 || unit.contains("\\")) {
            throw new IllegalArgumentException("invalid unit name for a journal: \"" + unit + "\"");
        }
        return unit;
    }

    private String format(String identifier, String text) {
        String clean = text.replace('\n', ' ').replace('\r', ' ');
        return TIME.format(clock.instant().atZone(clock.getZone())) + " " + machineId + " " + identifier + ": " + clean;
    }

    private final class UnitLog {
        final Path file;
        final Path rotated;
        final List<Consumer<String>> followers = new CopyOnWriteArrayList<>();
        OutputStream out;
        long size;

        UnitLog(Path file, Path rotated) {
            this.file = file;
            this.rotated = rotated;
        }

        synchronized void append(String line) {
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                if (out == null) {
                    Files.createDirectories(dir);
                    out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    size = Files.size(file);
                }
                if (size > 0 && size + bytes.length > maxBytes) {
                    out.close();
                    Files.move(file, rotated, StandardCopyOption.REPLACE_EXISTING);
                    out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    size = 0;
                }
                out.write(bytes);
                out.flush();
                size += bytes.length;
            } catch (IOException e) {
                close();
                return;
            }
            for (Consumer<String> f : followers) {
                f.accept(line);
            }
        }

        List<String> tail(int lines) {
            if (lines <= 0) {
                return List.of();
            }
            List<String> all = new ArrayList<>();
            try {
                all.addAll(read(rotated));
                all.addAll(read(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        }

        private List<String> read(Path p) throws IOException {
            try {
                return Files.readAllLines(p, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return List.of();
            }
        }

        void close() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    // closing a log we are abandoning
                }
                out = null;
            }
        }
    }
}
