package io.keel.cli.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** etcdctl steps the membership scenarios share. */
final class MemberCommands {
  private MemberCommands() {}

  /** The hex id {@code etcdctl member list} gives the started member {@code name}. */
  static String memberId(String memberList, String name) {
    Matcher m = Pattern.compile("(?m)^([0-9a-f]+), started, " + Pattern.quote(name) + ",")
        .matcher(memberList);
    assertThat(m.find()).as(memberList).isTrue();
    return m.group(1);
  }

  /** The command's output; fails the test if etcdctl failed. */
  static String ok(Etcdctl.Result r) {
    assertThat(r.exitCode()).as("etcdctl failed: %s", r.stderr()).isZero();
    return r.stdout();
  }

  /**
   * Runs a membership change until its output says {@code accepted}; the only refusal waited out
   * is "unhealthy cluster" (etcd's strict reconfiguration check on members not yet connected).
   */
  static String acceptedOnce(Etcdctl etcdctl, Duration timeout, String accepted, String... args) {
    AtomicReference<String> out = new AtomicReference<>();
    Await.until(timeout, String.join(" ", args) + " accepted", () -> {
      Etcdctl.Result r = etcdctl.run(args);
      if (r.stdout().contains(accepted)) {
        out.set(r.stdout());
        return true;
      }
      assertThat(r.stderr()).as("the only refusal expected").contains("unhealthy cluster");
      return false;
    });
    return out.get();
  }
}
