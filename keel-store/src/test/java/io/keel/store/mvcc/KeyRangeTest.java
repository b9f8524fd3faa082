package io.keel.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyRangeTest {

  private static Bytes b(String s) {
    return Bytes.of(s);
  }

  @Test
  void bytesOrderUnsigned() {
    Bytes high = Bytes.wrap(new byte[] {(byte) 0xff});
    Bytes low = Bytes.wrap(new byte[] {0x7f});
    assertThat(high).isGreaterThan(low);
    assertThat(b("a")).isLessThan(b("ab")).isLessThan(b("b"));
    assertThat(Bytes.wrap(new byte[0])).isSameAs(Bytes.EMPTY);
    assertThat(b("k")).isEqualTo(b("k")).hasSameHashCodeAs(b("k"));
  }

  @Test
  void singleKeyContainsOnlyItself() {
    KeyRange r = KeyRange.single(b("foo"));
    assertThat(r.isSingleKey()).isTrue();
    assertThat(r.contains(b("foo"))).isTrue();
    assertThat(r.contains(b("foo1"))).isFalse();
    assertThat(r.contains(b("fo"))).isFalse();
  }

  @Test
  void halfOpenIntervalExcludesEnd() {
    KeyRange r = new KeyRange(b("b"), b("d"));
    assertThat(r.contains(b("a"))).isFalse();
    assertThat(r.contains(b("b"))).isTrue();
    assertThat(r.contains(b("c\u00ff"))).isTrue();
    assertThat(r.contains(b("d"))).isFalse();
  }

  @Test
  void zeroEndMeansEverythingFromKey() {
    KeyRange r = new KeyRange(b("m"), Bytes.ZERO);
    assertThat(r.isOpenEnded()).isTrue();
    assertThat(r.contains(b("l"))).isFalse();
    assertThat(r.contains(b("m"))).isTrue();
    assertThat(r.contains(Bytes.wrap(new byte[] {(byte) 0xff, (byte) 0xff}))).isTrue();
  }

  @Test
  void overlaps() {
    KeyRange ab = new KeyRange(b("a"), b("b"));
    KeyRange bc = new KeyRange(b("b"), b("c"));
    KeyRange az = new KeyRange(b("a"), b("z"));
    assertThat(ab.overlaps(bc)).isFalse();
    assertThat(bc.overlaps(ab)).isFalse();
    assertThat(ab.overlaps(az)).isTrue();
    assertThat(az.overlaps(bc)).isTrue();
    assertThat(KeyRange.single(b("a")).overlaps(ab)).isTrue();
    assertThat(ab.overlaps(KeyRange.single(b("b")))).isFalse();
    assertThat(new KeyRange(b("y"), Bytes.ZERO).overlaps(az)).isTrue();
    assertThat(new KeyRange(b("z"), Bytes.ZERO).overlaps(az)).isFalse();
    assertThat(new KeyRange(b("z"), Bytes.ZERO).overlaps(KeyRange.single(b("zz")))).isTrue();
  }
}
