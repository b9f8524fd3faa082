package io.keel.store.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * etcd 3.4's {@code /health}: healthy when no alarm is raised, a leader is known and a
 * linearizable read completes within a second.
 */
public final class HealthCheck {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

  private final BooleanSupplier alarmRaised;
  private final BooleanSupplier hasLeader;
  private final Supplier<CompletableFuture<?>> linearizableRead;

  public HealthCheck(BooleanSupplier alarmRaised, BooleanSupplier hasLeader,
      Supplier<CompletableFuture<?>> linearizableRead) {
    this.alarmRaised = alarmRaised;
    this.hasLeader = hasLeader;
    this.linearizableRead = linearizableRead;
  }

  public CompletableFuture<Boolean> check() {
    if (alarmRaised.getAsBoolean() || !hasLeader.getAsBoolean()) {
      return CompletableFuture.completedFuture(false);
    }
    return linearizableRead.get()
        .orTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .handle((answer, error) -> error == null);
  }

  /** The body etcd 3.4 answers, with 200 when healthy and 503 when not. */
  public static String body(boolean healthy) {
    return "{\"health\":\"" + healthy + "\"}";
  }
}
