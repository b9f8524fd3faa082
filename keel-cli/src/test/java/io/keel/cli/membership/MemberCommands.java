package io.keel.cli.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Etcdctl;
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
}
