package io.keel.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Permission;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPermissionsTest {
  private static final ByteString NONE = ByteString.EMPTY;
  private static final ByteString NUL = ByteString.copyFrom(new byte[] {0});

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static Permission perm(Permission.Type type, String key, ByteString rangeEnd) {
    return Permission.newBuilder().setPermType(type).setKey(b(key)).setRangeEnd(rangeEnd).build();
  }

  private static boolean reads(List<Permission> perms, String key, ByteString rangeEnd) {
    return KeyPermissions.allows(perms, Permission.Type.READ, b(key), rangeEnd);
  }

  @Test
  void aSingleKeyPermissionHoldsThatKeyOnly() {
    var perms = List.of(perm(Permission.Type.READ, "foo", NONE));
    assertThat(reads(perms, "foo", NONE)).isTrue();
    assertThat(reads(perms, "foo0", NONE)).isFalse();
    assertThat(reads(perms, "fo", NONE)).isFalse();
    assertThat(reads(perms, "foo", b("fop"))).as("a range over more keys").isFalse();
    assertThat(reads(perms, "foo", b("foo\0"))).as("the range of exactly that key").isTrue();
  }

  @Test
  void typesAreSeparateAndReadWriteCountsForBoth() {
    var write = List.of(perm(Permission.Type.WRITE, "k", NONE));
    assertThat(reads(write, "k", NONE)).isFalse();
    assertThat(KeyPermissions.allows(write, Permission.Type.WRITE, b("k"), NONE)).isTrue();
    var both = List.of(perm(Permission.Type.READWRITE, "k", NONE));
    assertThat(reads(both, "k", NONE)).isTrue();
    assertThat(KeyPermissions.allows(both, Permission.Type.WRITE, b("k"), NONE)).isTrue();
  }

  @Test
  void aRangeMustBeCoveredWithoutGaps() {
    var perms = List.of(perm(Permission.Type.READ, "a", b("c")),
        perm(Permission.Type.READ, "c", b("e")), perm(Permission.Type.READ, "f", b("h")));
    assertThat(reads(perms, "a", b("e"))).as("adjacent ranges join").isTrue();
    assertThat(reads(perms, "b", b("d"))).isTrue();
    assertThat(reads(perms, "a", b("g"))).as("a gap between e and f").isFalse();
    assertThat(reads(perms, "0", b("b"))).as("starts before the first").isFalse();
    assertThat(reads(perms, "g", NONE)).isTrue();
    assertThat(reads(perms, "e", NONE)).isFalse();
  }

  @Test
  void nulRangeEndsReachPastEveryKey() {
    var fromKey = List.of(perm(Permission.Type.READ, "m", NUL));
    assertThat(reads(fromKey, "m", NUL)).isTrue();
    assertThat(reads(fromKey, "zzz", NONE)).isTrue();
    assertThat(reads(fromKey, "n", b("\u00ff"))).isTrue();
    assertThat(reads(fromKey, "l", NUL)).isFalse();
    var bounded = List.of(perm(Permission.Type.READ, "m", b("z")));
    assertThat(reads(bounded, "m", NUL)).as("a bounded range does not cover an open one")
        .isFalse();
  }

  @Test
  void nothingGrantedAllowsNothing() {
    assertThat(reads(List.of(), "a", NONE)).isFalse();
    assertThat(reads(List.of(), "a", b("b"))).isFalse();
  }
}
