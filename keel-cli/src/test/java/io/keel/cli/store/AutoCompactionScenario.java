package io.keel.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.StoreProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --auto-compaction-retention=5s} (periodic mode): while a client keeps writing, the
 * history older than the retention is compacted away and the recent history stays readable, and
 * the server logs etcd 3.4's "Finished auto-compaction at revision N". Written once, bound to
 * the Keel store and to real etcd.
 */
abstract class AutoCompactionScenario {
  private static final Duration RETENTION = Duration.ofSeconds(5);
  /** Well inside the retention: writes this recent must survive any compaction. */
  private static final Duration RECENT = Duration.ofSeconds(1);
  private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");

  @TempDir
  Path work;
  private StoreProcess store;

  /** Starts a single member with these flags added. */
  protected abstract StoreProcess startStore(Path workDir, String... extraArgs);

  @AfterEach
  void stop() {
    if (store != null) {
      store.close();
    }
  }

  private record Write(Instant at, long revision, String value) {}

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void historyOlderThanTheRetentionIsCompactedWhileRecentHistoryStays() throws IOException {
    store = startStore(work, "--auto-compaction-retention=" + RETENTION.toSeconds() + "s");
    Etcdctl etcdctl = new Etcdctl(store.endpoint()).withTimeout(Duration.ofSeconds(10));
    List<Write> writes = new ArrayList<>();
    long first = put(etcdctl, writes);

    Await.until(Duration.ofSeconds(60), "revision " + first + " compacted", () -> {
      put(etcdctl, writes);
      Etcdctl.Result old = etcdctl.run("get", "k", "--rev=" + first);
      if (old.exitCode() == 0) {
        return false;
      }
      assertThat(old.stderr()).contains("etcdserver: mvcc: required revision has been compacted");
      return true;
    });

    Instant recent = Instant.now().minus(RECENT);
    Write recentWrite = writes.stream().filter(w -> w.at().isAfter(recent)).findFirst()
        .orElseThrow();
    Etcdctl.Result kept = etcdctl.run("get", "k", "--rev=" + recentWrite.revision(),
        "--print-value-only");
    assertThat(kept.exitCode()).as("revision %d, written within the last %s: %s",
        recentWrite.revision(), RECENT, kept.stderr()).isZero();
    assertThat(kept.stdout().trim()).isEqualTo(recentWrite.value());
    assertThat(Files.readString(store.logFile()))
        .containsPattern("Finished auto-compaction at revision \\d+");
  }

  /** Writes {@code k} and returns the revision of the write. */
  private static long put(Etcdctl etcdctl, List<Write> writes) {
    String value = "v" + writes.size();
    Etcdctl.Result r = etcdctl.run("put", "k", value, "-w", "json");
    assertThat(r.exitCode()).as("put: %s", r.stderr()).isZero();
    Matcher m = REVISION.matcher(r.stdout());
    assertThat(m.find()).as(r.stdout()).isTrue();
    long revision = Long.parseLong(m.group(1));
    writes.add(new Write(Instant.now(), revision, value));
    return revision;
  }
}
