package io.keel.store.raft;

import io.keel.store.mvcc.StoreError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Group commit of proposals: concurrent writes share one Raft log entry, so Raft's per-entry
 * cost (request objects, entry encoding, flush bookkeeping, reply futures) is paid once per batch.
 *
 * <p>Adaptive, never timed: a proposal is appended at once, on its own, while fewer than {@code
 * maxInFlight} entries are appended and not yet answered. Otherwise it waits in a queue, and when
 * an entry is answered the queue goes out as one {@link Command#BATCH} entry (up to {@code
 * maxBatchBytes}; a lone queued proposal goes out as itself). A proposal that is itself a batch (a
 * follower's forwarded writes) joins the others' batch request by request and gets a batch result
 * back, so that forwarded writes share the leader's log entries. The state machine applies a batch's
 * requests in order, each with its own revision and result, exactly as if they had been appended
 * one by one, so every proposal still completes with its own encoded {@link Results}. A failed
 * append (leadership lost, server stopped) fails every proposal it carried, as it would each of
 * them alone. Thread-safe.
 */
final class ProposalBatcher {
  /** Appends one tagged entry to the log; completes with its encoded result after it applied. */
  @FunctionalInterface
  interface Log {
    CompletableFuture<byte[]> append(byte[] entry);
  }

  private record Proposal(byte[] entry, CompletableFuture<byte[]> result) {}

  private final Log log;
  private final int maxInFlight;
  private final int maxBatchBytes;
  private final ArrayDeque<Proposal> queue = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param maxInFlight appended entries not yet answered before proposals start to queue (at
   *     least 1)
   * @param maxBatchBytes entry bytes one batch carries at most (a single larger proposal still
   *     goes out, alone)
   */
  ProposalBatcher(Log log, int maxInFlight, int maxBatchBytes) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    this.log = log;
    this.maxInFlight = maxInFlight;
    this.maxBatchBytes = maxBatchBytes;
  }

  /** Proposes a tagged entry; completes with its encoded result ({@link Results}). */
  CompletableFuture<byte[]> propose(byte[] entry) {
    Proposal proposal = new Proposal(entry, new CompletableFuture<>());
    boolean now;
    synchronized (queue) {
      now = inFlight < maxInFlight && queue.isEmpty();
      if (now) {
        inFlight++;
      } else {
        queue.add(proposal);
      }
    }
    if (now) {
      append(List.of(proposal));
    }
    return proposal.result();
  }

  private void append(List<Proposal> batch) {
    CompletableFuture<byte[]> appended;
    int[] requests = new int[batch.size()];
    try {
      appended = log.append(batch.size() == 1 ? batch.get(0).entry() : batchEntry(batch, requests));
    } catch (RuntimeException e) {
      appended = CompletableFuture.failedFuture(e);
    }
    appended.whenComplete((result, error) -> {
      sendQueued();
      deliver(batch, requests, result, error);
    });
  }

  /** Frees the answered entry's slot and sends what queued meanwhile. */
  private void sendQueued() {
    List<Proposal> next = null;
    synchronized (queue) {
      inFlight--;
      if (!queue.isEmpty()) {
        inFlight++;
        next = take();
      }
    }
    if (next != null) {
      append(next);
    }
  }

  private List<Proposal> take() {
    List<Proposal> batch = new ArrayList<>();
    int bytes = 0;
    while (!queue.isEmpty()) {
      Proposal head = queue.peek();
      if (!batch.isEmpty() && bytes + head.entry().length > maxBatchBytes) {
        break;
      }
      batch.add(queue.poll());
      bytes += head.entry().length;
    }
    return batch;
  }

  /**
   * One batch entry of every request the proposals carry. A proposal that is itself a batch (a
   * follower's forwarded writes) is flattened into it; {@code requests} gets each proposal's
   * number of requests, to split the results again.
   */
  private static byte[] batchEntry(List<Proposal> batch, int[] requests) {
    List<byte[]> entries = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      byte[] entry = batch.get(i).entry();
      if (isBatch(entry)) {
        List<ByteString> inner = Batches.entries(UnsafeByteOperations.unsafeWrap(entry));
        inner.forEach(b -> entries.add(b.toByteArray()));
        requests[i] = inner.size();
      } else {
        entries.add(entry);
        requests[i] = 1;
      }
    }
    return Batches.entry(entries);
  }

  private static void deliver(List<Proposal> batch, int[] requests, byte[] result,
      Throwable error) {
    if (error != null) {
      batch.forEach(p -> p.result().completeExceptionally(error));
      return;
    }
    if (batch.size() == 1) {
      batch.get(0).result().complete(result);
      return;
    }
    List<byte[]> results;
    try {
      results = Batches.results(result);
    } catch (IllegalArgumentException e) {
      results = List.of();
    }
    if (results.size() != Arrays.stream(requests).sum()) {
      batch.forEach(p -> p.result().completeExceptionally(StoreError.CORRUPT.exception()));
      return;
    }
    int next = 0;
    for (int i = 0; i < batch.size(); i++) {
      Proposal p = batch.get(i);
      if (isBatch(p.entry())) {
        p.result().complete(Batches.results(results.subList(next, next + requests[i])));
      } else {
        p.result().complete(results.get(next));
      }
      next += requests[i];
    }
  }

  /** A follower's forwarded writes, already batched. */
  private static boolean isBatch(byte[] entry) {
    return entry[0] == Command.BATCH.tag();
  }
}
