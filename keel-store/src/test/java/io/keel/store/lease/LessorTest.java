package io.keel.store.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.store.mvcc.Bytes;
import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.StoreError;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LessorTest {
  private final MutableClock clock = new MutableClock();
  private final Lessor lessor = new Lessor(clock, 5);

  private static void assertError(Runnable r, StoreError error) {
    assertThatThrownBy(r::run).isInstanceOf(MvccException.class)
        .extracting(e -> ((MvccException) e).error()).isEqualTo(error);
  }

  @Test
  void grantGivesAtLeastTheMinimumTtl() {
    assertThat(lessor.grant(1, 2).ttlSeconds()).isEqualTo(5);
    assertThat(lessor.grant(2, 5).ttlSeconds()).isEqualTo(5);
    assertThat(lessor.grant(3, 60).ttlSeconds()).isEqualTo(60);
    assertThat(lessor.grant(4, -1).ttlSeconds()).isEqualTo(5);
    assertThat(lessor.effectiveTtl(0)).isEqualTo(5);
    assertThat(lessor.lookup(3)).get().extracting(Lease::expiry)
        .isEqualTo(clock.instant().plusSeconds(60));
  }

  @Test
  void grantRefusals() {
    lessor.grant(7, 10);
    assertError(() -> lessor.grant(7, 20), StoreError.LEASE_EXISTS);
    assertThat(lessor.lookup(7)).get().extracting(Lease::ttlSeconds).isEqualTo(10L);
    assertError(() -> lessor.grant(8, Lessor.MAX_TTL_SECONDS + 1), StoreError.LEASE_TTL_TOO_LARGE);
    assertThat(lessor.grant(8, Lessor.MAX_TTL_SECONDS).ttlSeconds())
        .isEqualTo(Lessor.MAX_TTL_SECONDS);
    // etcd's NoLease is never a lease
    assertError(() -> lessor.grant(0, 10), StoreError.LEASE_NOT_FOUND);
    assertThat(lessor.exists(0)).isFalse();
  }

  @Test
  void revokeReturnsTheLeaseWithItsKeys() {
    lessor.grant(1, 10);
    lessor.attach(1, Bytes.of("b"));
    lessor.attach(1, Bytes.of("a"));
    lessor.attach(1, Bytes.of("c"));
    lessor.detach(1, Bytes.of("c"));
    lessor.attach(99, Bytes.of("ignored"));
    Lease revoked = lessor.revoke(1);
    assertThat(revoked.keys()).containsExactly(Bytes.of("a"), Bytes.of("b"));
    assertThat(lessor.exists(1)).isFalse();
    assertError(() -> lessor.revoke(1), StoreError.LEASE_NOT_FOUND);
  }

  @Test
  void expiryIsMeasuredOnTheClock() {
    lessor.grant(1, 10);
    lessor.grant(2, 20);
    assertThat(lessor.expired()).isEmpty();
    clock.advance(Duration.ofMillis(9_999));
    assertThat(lessor.expired()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(lessor.expired()).extracting(Lease::id).containsExactly(1L);
    clock.advance(Duration.ofSeconds(10));
    assertThat(lessor.expired()).extracting(Lease::id).containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void remainingSecondsTruncatesAsEtcdDoes() {
    Lease lease = lessor.grant(1, 10);
    assertThat(lessor.remainingSeconds(lease)).isEqualTo(10);
    clock.advance(Duration.ofMillis(1));
    assertThat(lessor.remainingSeconds(lease)).isEqualTo(9);
    clock.advance(Duration.ofMillis(8_998));
    assertThat(lessor.remainingSeconds(lease)).isEqualTo(1);
    clock.advance(Duration.ofMillis(2));
    assertThat(lessor.remainingSeconds(lease)).isZero();
    clock.advance(Duration.ofSeconds(5));
    assertThat(lessor.remainingSeconds(lease)).isZero();
  }

  @Test
  void renewPushesExpiryOutByTheFullTtl() {
    lessor.grant(1, 10);
    clock.advance(Duration.ofSeconds(8));
    assertThat(lessor.renew(1)).contains(10L);
    clock.advance(Duration.ofSeconds(8));
    assertThat(lessor.expired()).isEmpty();
    assertThat(lessor.remainingSeconds(lessor.lookup(1).orElseThrow())).isEqualTo(2);
    clock.advance(Duration.ofSeconds(2));
    assertThat(lessor.expired()).extracting(Lease::id).containsExactly(1L);
  }

  @Test
  void renewOfUnknownOrExpiredLeaseIsEmpty() {
    assertThat(lessor.renew(42)).isEqualTo(Optional.empty());
    lessor.grant(1, 10);
    clock.advance(Duration.ofSeconds(10));
    assertThat(lessor.renew(1)).isEmpty();
    assertThat(lessor.expired()).extracting(Lease::id).containsExactly(1L);
  }

  @Test
  void refreshAllGivesEveryLeaseAFreshTtl() {
    lessor.grant(1, 10);
    lessor.grant(2, 30);
    clock.advance(Duration.ofSeconds(25));
    assertThat(lessor.expired()).extracting(Lease::id).containsExactly(1L);
    lessor.refreshAll();
    assertThat(lessor.expired()).isEmpty();
    assertThat(lessor.lookup(1).orElseThrow().expiry()).isEqualTo(clock.instant().plusSeconds(10));
    assertThat(lessor.lookup(2).orElseThrow().expiry()).isEqualTo(clock.instant().plusSeconds(30));
  }

  @Test
  void restoreAndClear() {
    lessor.grant(1, 10);
    clock.advance(Duration.ofSeconds(100));
    lessor.restore(5, 30, List.of(Bytes.of("x"), Bytes.of("y")));
    Lease restored = lessor.lookup(5).orElseThrow();
    assertThat(restored.ttlSeconds()).isEqualTo(30);
    assertThat(restored.keys()).containsExactly(Bytes.of("x"), Bytes.of("y"));
    assertThat(lessor.remainingSeconds(restored)).isEqualTo(30);
    assertThat(lessor.all()).extracting(Lease::id).containsExactlyInAnyOrder(1L, 5L);
    lessor.clear();
    assertThat(lessor.all()).isEmpty();
  }
}
