package io.keel.cli.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Raft files of a Keel data dir as Ratis lays them out: {@code raft/<group>/sm/snapshot.<term>_<index>}
 * (plus {@code .md5} for a snapshot installed from a leader) and log segments {@code raft/<group>/current/log_<first>-<last>} (closed) or
 * {@code log_inprogress_<first>} (open).
 */
record RaftFiles(Path dataDir) {

    private static final Pattern SNAPSHOT = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    private static final Pattern CLOSED_SEGMENT = Pattern.compile("log_(\\d+)-(\\d+)");
    private static final Pattern OPEN_SEGMENT = Pattern.compile("log_inprogress_(\\d+)");

    /** A log segment file and the first and last index it holds ({@code last} is -1 while open). */
    record Segment(Path file, long first, long last) {
        boolean open() {
            return last < 0;
        }
    }

    Path raftDir() {
        return dataDir.resolve("raft");
    }

    /** Snapshot files (not their checksums), oldest first. */
    List<Path> snapshots() {
        return files().filter(p -> p.getParent().getFileName().toString().equals("sm"))
                .filter(p -> SNAPSHOT.matcher(p.getFileName().toString()).matches())
                .sorted(Comparator.comparingLong(RaftFiles::snapshotIndex))
                .toList();
    }

    Optional<Path> newestSnapshot() {
        List<Path> all = snapshots();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    static long snapshotIndex(Path snapshot) {
        Matcher m = SNAPSHOT.matcher(snapshot.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a snapshot file: " + snapshot);
        }
        return Long.parseLong(m.group(2));
    }

    /** Log segments, in log order. */
    List<Segment> segments() {
        return files().map(RaftFiles::segment).flatMap(Optional::stream)
                .sorted(Comparator.comparingLong(Segment::first))
                .toList();
    }

    long segmentBytes() {
        return segments().stream().mapToLong(s -> size(s.file())).sum();
    }

    /** Every file under {@code raft/} with its size, for failure messages. */
    String listing() {
        StringBuilder out = new StringBuilder();
        files().sorted().forEach(p -> out.append(System.lineSeparator()).append("  ")
                .append(raftDir().relativize(p)).append(" (").append(describeSize(p)).append(")"));
        return out.toString();
    }

    private static Optional<Segment> segment(Path file) {
        String name = file.getFileName().toString();
        Matcher closed = CLOSED_SEGMENT.matcher(name);
        if (closed.matches()) {
            return Optional.of(new Segment(file, Long.parseLong(closed.group(1)), Long.parseLong(closed.group(2))));
        }
        Matcher open = OPEN_SEGMENT.matcher(name);
        if (open.matches()) {
            return Optional.of(new Segment(file, Long.parseLong(open.group(1)), -1));
        }
        return Optional.empty();
    }

    /** The files under the Raft directory; listed again when Ratis deletes one mid-listing. */
    private Stream<Path> files() {
        for (int attempt = 1; ; attempt++) {
            if (!Files.isDirectory(raftDir())) {
                return Stream.empty();
            }
            try (Stream<Path> walk = Files.walk(raftDir())) {
                return walk.filter(Files::isRegularFile).toList().stream();
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 10) {
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String describeSize(Path file) {
        OptionalLong bytes = sizeIfPresent(file);
        return bytes.isPresent() ? bytes.getAsLong() + " bytes" : "deleted while listed";
    }

    /** The file's size; empty if it is gone (Ratis deletes old snapshots and purged segments). */
    static OptionalLong sizeIfPresent(Path file) {
        try {
            return OptionalLong.of(Files.size(file));
        } catch (NoSuchFileException gone) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
