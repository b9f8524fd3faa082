package io.keel.store.raft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Futures that complete once the state machine has applied a log index (every entry counts:
 * writes, configuration and metadata entries). A follower's read round waits here for the read
 * index the leader confirmed. Thread-safe; {@link #advance} is cheap when nobody waits.
 */
final class AppliedWaiters {
  private long applied;
  private final TreeMap<Long, List<CompletableFuture<Void>>> waiting = new TreeMap<>();

  /** Completes once {@code index} is applied, or fails with TIMEOUT after {@code timeout}. */
  CompletableFuture<Void> await(long index, Duration timeout) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    synchronized (this) {
      if (index <= applied) {
        return CompletableFuture.completedFuture(null);
      }
      waiting.computeIfAbsent(index, i -> new ArrayList<>(1)).add(future);
    }
    return RequestTimeouts.within(future, timeout).whenComplete((done, error) -> {
      if (error != null) {
        forget(index, future);
      }
    });
  }

  private synchronized void forget(long index, CompletableFuture<Void> future) {
    List<CompletableFuture<Void>> atIndex = waiting.get(index);
    if (atIndex != null && atIndex.remove(future) && atIndex.isEmpty()) {
      waiting.remove(index);
    }
  }

  /** Everything up to {@code index} has been applied. */
  void advance(long index) {
    List<CompletableFuture<Void>> due;
    synchronized (this) {
      if (index <= applied) {
        return;
      }
      applied = index;
      if (waiting.isEmpty()) {
        return;
      }
      Map<Long, List<CompletableFuture<Void>>> head = waiting.headMap(index, true);
      due = new ArrayList<>();
      head.values().forEach(due::addAll);
      head.clear();
    }
    due.forEach(f -> f.complete(null));
  }

  synchronized int waitingCount() {
    return waiting.values().stream().mapToInt(List::size).sum();
  }
}
