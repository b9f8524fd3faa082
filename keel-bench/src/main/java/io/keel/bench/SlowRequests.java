package io.keel.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The measured requests that took a threshold or longer, with their starts on the wall clock
 * and on the monotonic clock, so that a latency tail can be lined up with what the server and
 * the machine did meanwhile: GC logs, {@code perf} traces of fsyncs and of the scheduler.
 */
public final class SlowRequests {
  private record Slow(long seq, long startNanos, long nanos) {}

  private final long thresholdNanos;
  private final long epochMicrosAtNanoZero;
  private final Queue<Slow> slow = new ConcurrentLinkedQueue<>();

  public SlowRequests(double thresholdMillis) {
    this.thresholdNanos = (long) (thresholdMillis * 1e6);
    this.epochMicrosAtNanoZero = System.currentTimeMillis() * 1000 - System.nanoTime() / 1000;
  }

  /** Keeps request {@code seq} if it took the threshold or longer. */
  public void offer(long seq, long startNanos, long nanos) {
    if (nanos >= thresholdNanos) {
      slow.add(new Slow(seq, startNanos, nanos));
    }
  }

  /**
   * Writes one line per slow request, by start: {@code seq start_epoch_s start_monotonic_s
   * latency_ms}. The monotonic clock is {@link System#nanoTime()}'s, which on Linux is
   * {@code CLOCK_MONOTONIC}: the clock of {@code perf record -k mono} and of the JVM's
   * {@code -Xlog} decoration {@code timenanos}.
   */
  public void writeTo(Path file) throws IOException {
    List<Slow> sorted = new ArrayList<>(slow);
    sorted.sort(Comparator.comparingLong(Slow::startNanos));
    StringBuilder out = new StringBuilder("# seq start_epoch_s start_monotonic_s latency_ms\n");
    for (Slow s : sorted) {
      out.append(String.format(Locale.ROOT, "%d %.6f %.6f %.3f%n", s.seq(),
          (epochMicrosAtNanoZero + s.startNanos() / 1000) / 1e6, s.startNanos() / 1e9,
          s.nanos() / 1e6));
    }
    Files.writeString(file, out, StandardCharsets.UTF_8);
  }
}
