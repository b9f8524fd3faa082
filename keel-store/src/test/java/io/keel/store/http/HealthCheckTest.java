package io.keel.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthCheckTest {
  private final AtomicInteger reads = new AtomicInteger();

  private CompletableFuture<?> read(boolean succeeds) {
    reads.incrementAndGet();
    return succeeds ? CompletableFuture.completedFuture(true)
        : CompletableFuture.failedFuture(new IllegalStateException("etcdserver: request timed out"));
  }

  @Test
  void healthyWithALeaderNoAlarmAndALinearizableRead() {
    assertThat(new HealthCheck(() -> false, () -> true, () -> read(true)).check().join()).isTrue();
    assertThat(HealthCheck.body(true)).isEqualTo("{\"health\":\"true\"}");
  }

  @Test
  void anAlarmOrNoLeaderIsUnhealthyWithoutReading() {
    assertThat(new HealthCheck(() -> true, () -> true, () -> read(true)).check().join()).isFalse();
    assertThat(new HealthCheck(() -> false, () -> false, () -> read(true)).check().join()).isFalse();
    assertThat(reads).hasValue(0);
  }

  @Test
  void aFailedReadIsUnhealthy() {
    assertThat(new HealthCheck(() -> false, () -> true, () -> read(false)).check().join()).isFalse();
    assertThat(HealthCheck.body(false)).isEqualTo("{\"health\":\"false\"}");
  }
}
