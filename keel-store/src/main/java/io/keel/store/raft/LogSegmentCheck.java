package io.keel.store.raft;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.segmented.LogSegment;
import org.apache.ratis.server.raftlog.segmented.LogSegmentPath;
import org.apache.ratis.server.raftlog.segmented.LogSegmentStartEnd;
import org.apache.ratis.util.SizeInBytes;

/**
 * Finds which Raft log segment is unreadable, so a failed start can name the file. Used only
 * after Ratis has refused to open the log.
 */
final class LogSegmentCheck {
  private static final Pattern CLOSED_SEGMENT = Pattern.compile("log_(\\d+)-(\\d+)");

  private LogSegmentCheck() {}

  static Optional<String> findCorruptSegment(File raftDir) {
    List<Path> segments;
    try (Stream<Path> files = Files.walk(raftDir.toPath())) {
      segments = files.filter(p -> p.getParent().getFileName().toString().equals("current"))
          .filter(p -> LogSegmentPath.matchLogSegment(p) != null)
          .sorted()
          .toList();
    } catch (IOException e) {
      return Optional.of("cannot list " + raftDir + ": " + e.getMessage());
    }
    for (Path segment : segments) {
      LogSegmentStartEnd range = LogSegmentPath.matchLogSegment(segment).getStartEnd();
      int read;
      try {
        read = LogSegment.readSegmentFile(segment.toFile(), range, SizeInBytes.valueOf("64MB"),
            RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION, null, entry -> { });
      } catch (IOException | RuntimeException e) {
        return Optional.of("corrupt Raft log segment " + segment + ": " + e.getMessage());
      }
      Matcher closed = CLOSED_SEGMENT.matcher(segment.getFileName().toString());
      if (closed.matches()) {
        long first = Long.parseLong(closed.group(1));
        long last = Long.parseLong(closed.group(2));
        if (read != last - first + 1) {
          return Optional.of("corrupt Raft log segment " + segment + ": its name promises entries "
              + first + " to " + last + ", the file holds " + read + " (truncated?)");
        }
      }
    }
    return Optional.empty();
  }
}
