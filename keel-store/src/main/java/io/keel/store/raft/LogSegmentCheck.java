package io.keel.store.raft;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.segmented.LogSegment;
import org.apache.ratis.server.raftlog.segmented.LogSegmentPath;
import org.apache.ratis.util.SizeInBytes;

/**
 * Finds which Raft log segment is unreadable, so a failed start can name the file. Used only
 * after Ratis has refused to open the log.
 */
final class LogSegmentCheck {
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
      try {
        LogSegment.readSegmentFile(segment.toFile(),
            LogSegmentPath.matchLogSegment(segment).getStartEnd(), SizeInBytes.valueOf("64MB"),
            RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION, null, entry -> { });
      } catch (IOException | RuntimeException e) {
        return Optional.of("corrupt Raft log segment " + segment + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }
}
