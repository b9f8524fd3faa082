package io.keel.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.agent.runtime.OutputSink;
import io.keel.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JournalTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-11-26T02:12:46Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void writesShortFormatLines() {
        Journal journal = new Journal(dir, "m1", CLOCK);
        OutputSink sink = journal.sink("web@1.service");
        sink.line(false, "hello");
        sink.line(true, "oops\nsecond");
        sink.agent("Started web@1.service.");
        assertThat(journal.tail("web@1.service", 10)).containsExactly(
                "Nov 26 02:12:46 m1 web@1.service: hello",
                "Nov 26 02:12:46 m1 web@1.service: oops second",
                "Nov 26 02:12:46 m1 keel[agent]: Started web@1.service.");
        assertThat(Files.exists(dir.resolve("web@1.service.log"))).isTrue();
    }

    @Test
    void rotationKeepsTheFilesBounded() throws Exception {
        Journal journal = new Journal(dir, "m1", CLOCK, 1000);
        OutputSink sink = journal.sink("web.service");
        for (int i = 0; i < 500; i++) {
            sink.line(false, "line " + i);
        }
        assertThat(Files.size(dir.resolve("web.service.log"))).isLessThanOrEqualTo(1000);
        assertThat(Files.size(dir.resolve("web.service.log.1"))).isLessThanOrEqualTo(1000);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("web.service.log", "web.service.log.1");
        }
        List<String> tail = journal.tail("web.service", 3);
        assertThat(tail).extracting(l -> l.substring(l.lastIndexOf(": ") + 2))
                .containsExactly("line 497", "line 498", "line 499");
    }

    @Test
    void tailSpansTheRotatedFile() {
        Journal journal = new Journal(dir, "m1", CLOCK, 200);
        OutputSink sink = journal.sink("web.service");
        IntStream.range(0, 23).forEach(i -> sink.line(false, "line " + i));
        List<String> all = journal.tail("web.service", 100);
        assertThat(all).isNotEmpty();
        assertThat(all.get(all.size() - 1)).endsWith("line 22");
        int first = Integer.parseInt(all.get(0).substring(all.get(0).lastIndexOf(' ') + 1));
        assertThat(all).hasSize(23 - first);
        assertThat(first).isPositive();
        assertThat(journal.tail("web.service", 5)).hasSize(5).last().asString().endsWith("line 22");
    }

    @Test
    void followDeliversLastLinesThenNewOnesAcrossRotation() throws Exception {
        Journal journal = new Journal(dir, "m1", CLOCK, 300);
        OutputSink sink = journal.sink("web.service");
        sink.line(false, "old 1");
        sink.line(false, "old 2");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable f = journal.follow("web.service", 1, seen::add)) {
            for (int i = 0; i < 20; i++) {
                sink.line(false, "new " + i);
            }
            Await.until(Duration.ofSeconds(5), "all lines followed", () -> seen.size() == 21);
        }
        assertThat(seen.get(0)).endsWith("old 2");
        assertThat(seen.subList(1, 21)).extracting(l -> l.substring(l.lastIndexOf(": ") + 2))
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "new " + i).toList());
        assertThat(Files.exists(dir.resolve("web.service.log.1"))).isTrue();
        sink.line(false, "after close");
        assertThat(seen).hasSize(21);
    }

    @Test
    void concurrentAppendsLoseNothing() throws Exception {
        Journal journal = new Journal(dir, "m1", CLOCK, 1 << 20);
        OutputSink sink = journal.sink("web.service");
        List<Thread> threads = IntStream.range(0, 4).mapToObj(t -> new Thread(() -> {
            for (int i = 0; i < 250; i++) {
                sink.line(false, "t" + t + " " + i);
            }
        })).toList();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(journal.tail("web.service", 2000)).hasSize(1000).allMatch(l -> l.startsWith("Nov 26 02:12:46 m1 web.service: t"));
    }

    @Test
    void removeDeletesBothFiles() {
        Journal journal = new Journal(dir, "m1", CLOCK, 100);
        OutputSink sink = journal.sink("web.service");
        IntStream.range(0, 23).forEach(i -> sink.line(false, "line " + i));
        journal.remove("web.service");
        assertThat(dir.resolve("web.service.log")).doesNotExist();
        assertThat(dir.resolve("web.service.log.1")).doesNotExist();
        assertThat(journal.tail("web.service", 10)).isEmpty();
        sink.line(false, "again");
        assertThat(journal.tail("web.service", 10)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc", "a/b", ".hidden", "a..b"})
    void refusesBadUnitNames(String unit) {
        Journal journal = new Journal(dir, "m1", CLOCK);
        assertThatThrownBy(() -> journal.sink(unit)).isInstanceOf(IllegalArgumentException.class);
    }
}
