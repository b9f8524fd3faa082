package io.keel.store.raft;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * ReadIndex rounds proven through the log: a round appends a {@link Command#NOOP} entry carrying a
 * mark, and ends when this member has applied it. The entry was committed in some leader's term
 * after the round began, so that leader was still the leader then, and this member has applied
 * every write acknowledged before the round began. Unlike Ratis 3.3's heartbeat ReadIndex, which
 * answers at once when a round at the same commit index was confirmed earlier (so that a leader
 * cut off from its followers keeps answering from stale state), this cannot be satisfied by an old
 * confirmation. Every member applies every mark; each completes only its own. Thread-safe.
 */
final class ReadMarks {
  private static final int ENTRY_BYTES = 1 + Long.BYTES;

  private final long prefix = ThreadLocalRandom.current().nextLong();
  private final AtomicLong counter = new AtomicLong();
  private final ConcurrentHashMap<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

  /** A new mark, unique to this member; the future completes once it has been applied here. */
  Mark next(Duration timeout) {
    long id = prefix + counter.incrementAndGet();
    CompletableFuture<Void> applied = new CompletableFuture<>();
    pending.put(id, applied);
    CompletableFuture<Void> bounded = RequestTimeouts.within(applied, timeout)
        .whenComplete((done, error) -> {
          if (error != null) {
            pending.remove(id);
          }
        });
    return new Mark(id, entry(id), bounded);
  }

  /** The state machine applied a {@link Command#NOOP} entry; completes its round if it is ours. */
  void applied(ByteString noopEntry) {
    idOf(noopEntry).ifPresent(id -> {
      CompletableFuture<Void> waiting = pending.remove(id);
      if (waiting != null) {
        waiting.complete(null);
      }
    });
  }

  /**
   * The mark's entry could not be appended: its round fails with {@code error} (or its cause, when
   * it is a {@link CompletionException}).
   */
  void abandon(Mark mark, Throwable error) {
    CompletableFuture<Void> waiting = pending.remove(mark.id());
    if (waiting != null) {
      waiting.completeExceptionally(error);
    }
  }

  int pendingCount() {
    return pending.size();
  }

  private static byte[] entry(long id) {
    return ByteBuffer.allocate(ENTRY_BYTES).put(Command.NOOP.tag()).putLong(id).array();
  }

  private static OptionalLong idOf(ByteString noopEntry) {
    if (noopEntry.size() != ENTRY_BYTES) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(noopEntry.substring(1).asReadOnlyByteBuffer().getLong());
  }

  /** One round's mark: its id, the log entry that carries it, and its applied future. */
  record Mark(long id, byte[] entry, CompletableFuture<Void> applied) {}
}
