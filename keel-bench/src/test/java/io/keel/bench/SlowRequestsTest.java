package io.keel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SlowRequestsTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @TempDir Path dir;

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void keepsOnlyRequestsOfAtLeastTheThresholdOrderedByStart() throws Exception {
    SlowRequests slow = new SlowRequests(2.0);
    slow.offer(7, 5_000_000_000L, 3_000_000);
    slow.offer(8, 5_001_000_000L, 1_999_999);
    slow.offer(3, 4_000_000_000L, 2_500_000);
    Path file = dir.resolve("slow.txt");

    slow.writeTo(file);

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("# seq start_epoch_s start_monotonic_s latency_ms");
    String[] first = lines.get(1).split(" ");
    String[] second = lines.get(2).split(" ");
    assertThat(List.of(first[0], first[2], first[3])).containsExactly("3", "4.000000", "2.500");
    assertThat(List.of(second[0], second[2], second[3])).containsExactly("7", "5.000000", "3.000");
    assertThat(Double.parseDouble(second[1]) - Double.parseDouble(first[1]))
        .as("wall-clock starts one second apart, as their monotonic starts")
        .isBetween(0.999, 1.001);
  }

  @Test
  void anUnwritableSlowLogFailsTheSetupAndNamesTheFile() throws Exception {
    Path unwritable = dir.resolve("no-such-dir").resolve("slow.txt");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      exit = new CommandLine(new Bench()).execute("put", "--endpoints", "http://127.0.0.1:1",
          "--total", "1", "--slow-log", unwritable.toString(), "-q");
    } finally {
      System.setOut(stdout);
    }

    assertThat(exit).isEqualTo(2);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("setup: cannot write --slow-log " + unwritable)
        .contains("NoSuchFileException");
  }

  @Test
  void aClosedLoopReportsEverySuccessfulRequest() throws Exception {
    SlowRequests everything = new SlowRequests(0);
    SlowRequests nothing = new SlowRequests(TimeUnit.HOURS.toMillis(1));
    ClosedLoop.Op op = (seq, client, done) -> done.done(seq == 5 ? new RuntimeException("x") : null);

    new ClosedLoop(2, 20, 0, 10, scheduler).reportingTo(everything)
        .run(op, new LatencyStats(), 1, TimeUnit.MINUTES);
    new ClosedLoop(2, 20, 0, 10, scheduler).reportingTo(nothing)
        .run(op, new LatencyStats(), 1, TimeUnit.MINUTES);

    Path all = dir.resolve("all.txt");
    Path none = dir.resolve("none.txt");
    everything.writeTo(all);
    nothing.writeTo(none);
    List<String> seqs = Files.readAllLines(all).stream().skip(1)
        .map(line -> line.split(" ")[0]).toList();
    assertThat(seqs).as("every request but the failed one").hasSize(19)
        .doesNotContain("5").contains("0", "19");
    assertThat(Files.readAllLines(none)).hasSize(1);
  }
}
