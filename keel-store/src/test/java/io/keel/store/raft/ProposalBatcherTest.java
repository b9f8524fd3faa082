package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.StoreError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProposalBatcherTest {
  /** A log whose appends the test answers by hand. */
  private static final class ManualLog implements ProposalBatcher.Log {
    final List<byte[]> entries = new ArrayList<>();
    final List<CompletableFuture<byte[]>> answers = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<byte[]> append(byte[] entry) {
      entries.add(entry);
      CompletableFuture<byte[]> answer = new CompletableFuture<>();
      answers.add(answer);
      return answer;
    }

    /** Answers entry {@code i} as the state machine would: each request's result, echoed. */
    void applyEcho(int i) {
      byte[] entry = entries.get(i);
      if (entry[0] != Command.BATCH.tag()) {
        answers.get(i).complete(echo(entry));
        return;
      }
      var inner = Batches.entries(
          org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(entry));
      answers.get(i).complete(Batches.results(inner.stream().map(b -> echo(b.toByteArray()))
          .toList()));
    }
  }

  /** A result naming the request it answers. */
  private static byte[] echo(byte[] entry) {
    return Results.ok(entry);
  }

  private static byte[] entry(int n) {
    return new byte[] {Command.PUT.tag(), (byte) n};
  }

  private final ManualLog log = new ManualLog();

  @Test
  void aLoneProposalIsAppendedAtOnceAsItself() {
    var batcher = new ProposalBatcher(log, 1, 1 << 20);

    var result = batcher.propose(entry(1));

    assertThat(log.entries).containsExactly(entry(1));
    log.applyEcho(0);
    assertResult(result, echo(entry(1)));
  }

  @Test
  void proposalsMadeWhileTheLogIsBusyShareOneEntryInOrderEachWithItsOwnResult() {
    var batcher = new ProposalBatcher(log, 1, 1 << 20);
    var first = batcher.propose(entry(0));
    var queued = IntStream.rangeClosed(1, 5).mapToObj(i -> batcher.propose(entry(i))).toList();

    assertThat(log.entries).hasSize(1);
    assertThat(queued).allMatch(f -> !f.isDone());
    log.applyEcho(0);

    assertResult(first, echo(entry(0)));
    assertThat(log.entries).hasSize(2);
    assertThat(log.entries.get(1)[0]).isEqualTo(Command.BATCH.tag());
    var inner = Batches.entries(
        org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(log.entries.get(1)));
    assertThat(inner).extracting(b -> b.toByteArray())
        .containsExactly(entry(1), entry(2), entry(3), entry(4), entry(5));
    log.applyEcho(1);
    for (int i = 0; i < queued.size(); i++) {
      assertResult(queued.get(i), echo(entry(i + 1)));
    }
  }

  @Test
  void upToMaxInFlightEntriesGoOutWithoutWaiting() {
    var batcher = new ProposalBatcher(log, 2, 1 << 20);
    batcher.propose(entry(1));
    batcher.propose(entry(2));
    batcher.propose(entry(3));

    assertThat(log.entries).containsExactly(entry(1), entry(2));
    log.applyEcho(1);
    assertThat(log.entries).hasSize(3);
    assertThat(log.entries.get(2)).isEqualTo(entry(3));
  }

  @Test
  void aRefusedRequestInABatchLeavesTheOthersTheirResults() {
    var batcher = new ProposalBatcher(log, 1, 1 << 20);
    batcher.propose(entry(0));
    var ok1 = batcher.propose(entry(1));
    var refused = batcher.propose(entry(2));
    var ok2 = batcher.propose(entry(3));
    log.applyEcho(0);

    log.answers.get(1).complete(Batches.results(List.of(echo(entry(1)),
        Results.error(StoreError.LEASE_NOT_FOUND), echo(entry(3)))));

    assertResult(ok1, echo(entry(1)));
    assertResult(ok2, echo(entry(3)));
    assertResult(refused, Results.error(StoreError.LEASE_NOT_FOUND));
  }

  @Test
  void aFailedAppendFailsOnlyTheProposalsItCarried() {
    var batcher = new ProposalBatcher(log, 1, 1 << 20);
    var first = batcher.propose(entry(0));
    var a = batcher.propose(entry(1));
    var b = batcher.propose(entry(2));

    log.answers.get(0).completeExceptionally(StoreError.LEADER_CHANGED.exception());
    var c = batcher.propose(entry(3));

    assertThat(first).isCompletedExceptionally();
    assertThat(a).isNotDone();
    log.answers.get(1).completeExceptionally(StoreError.LEADER_CHANGED.exception());
    assertThat(a).isCompletedExceptionally();
    assertThat(b).isCompletedExceptionally();
    assertThat(c).isNotDone();
    log.applyEcho(2);
    assertResult(c, echo(entry(3)));
    assertThat(error(a)).isEqualTo(StoreError.LEADER_CHANGED);
  }

  @Test
  void anAppendThatThrowsFailsItsProposalsAndFreesTheSlot() {
    var throwing = new ProposalBatcher(e -> {
      throw StoreError.STOPPED.exception();
    }, 1, 1 << 20);

    assertThat(error(throwing.propose(entry(1)))).isEqualTo(StoreError.STOPPED);
    assertThat(error(throwing.propose(entry(2)))).isEqualTo(StoreError.STOPPED);
  }

  @Test
  void batchesStayUnderTheByteLimitButABigRequestStillGoesAlone() {
    var batcher = new ProposalBatcher(log, 1, 5);
    batcher.propose(entry(0));
    batcher.propose(entry(1));
    batcher.propose(entry(2));
    var big = new byte[] {Command.PUT.tag(), 1, 2, 3, 4, 5, 6, 7, 8};
    batcher.propose(big);
    batcher.propose(entry(3));

    log.applyEcho(0);
    assertThat(log.entries).hasSize(2);
    assertThat(Batches.entries(org.apache.ratis.thirdparty.com.google.protobuf.ByteString
        .copyFrom(log.entries.get(1)))).hasSize(2);
    log.applyEcho(1);
    assertThat(log.entries.get(2)).isEqualTo(big);
    log.applyEcho(2);
    assertThat(log.entries.get(3)).isEqualTo(entry(3));
  }

  @Test
  void aForwardedBatchSharesTheEntryRequestByRequestAndGetsABatchResultBack() {
    var batcher = new ProposalBatcher(log, 1, 1 << 20);
    batcher.propose(entry(0));
    var local = batcher.propose(entry(1));
    var forwarded = batcher.propose(Batches.entry(List.of(entry(2), entry(3))));
    var after = batcher.propose(entry(4));

    log.applyEcho(0);

    assertThat(log.entries).hasSize(2);
    var shared = Batches.entries(org.apache.ratis.thirdparty.com.google.protobuf.ByteString
        .copyFrom(log.entries.get(1))).stream().map(b -> b.toByteArray()).toList();
    assertThat(shared).containsExactly(entry(1), entry(2), entry(3), entry(4));
    log.applyEcho(1);
    assertResult(local, echo(entry(1)));
    assertThat(Batches.results(forwarded.join()))
        .containsExactly(echo(entry(2)), echo(entry(3)));
    assertResult(after, echo(entry(4)));
  }

  @Test
  void aResultThatDoesNotMatchTheBatchFailsItsProposalsAsCorrupt() {
    var batcher = new ProposalBatcher(log, 1, 1 << 20);
    batcher.propose(entry(0));
    var a = batcher.propose(entry(1));
    var b = batcher.propose(entry(2));
    log.applyEcho(0);

    log.answers.get(1).complete(Batches.results(List.of(echo(entry(1)))));

    assertThat(error(a)).isEqualTo(StoreError.CORRUPT);
    assertThat(error(b)).isEqualTo(StoreError.CORRUPT);
  }

  private static void assertResult(CompletableFuture<byte[]> f, byte[] expected) {
    assertThat(f).isDone();
    assertThat(f.join()).isEqualTo(expected);
  }

  private static StoreError error(CompletableFuture<byte[]> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      return ((MvccException) cause).error();
    }
  }
}
