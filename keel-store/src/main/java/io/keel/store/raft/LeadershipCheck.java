package io.keel.store.raft;

import io.keel.store.mvcc.StoreError;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Confirms that a leader of term {@code T} was still the leader at some moment after the check
 * began: enough of the other voters, asked after it began, report {@code T} as their current term
 * to make a majority with the leader. A voter still in term {@code T} has not voted in a later
 * term, so no later leader can have won a majority that includes it; a majority of such voters
 * leaves none for one. This is etcd's ReadIndex heartbeat round, asked over Keel's own channel, and
 * unlike Ratis 3.3's it never reuses an earlier round's confirmation.
 */
final class LeadershipCheck {
  private LeadershipCheck() {}

  /**
   * @param answers each other voter's current term (a failed future is a voter that did not answer)
   * @param needed how many of them must answer {@code term}
   * @return completes once {@code needed} answers are {@code term}; fails with LEADER_CHANGED at the
   *     first later term, and with TIMEOUT once too few answers are left to make a majority
   */
  static CompletableFuture<Void> confirm(long term, List<CompletableFuture<Long>> answers,
      int needed) {
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    if (needed <= 0) {
      confirmed.complete(null);
      return confirmed;
    }
    var tally = new Object() {
      int agreeing;
      int undecided = answers.size();
    };
    for (CompletableFuture<Long> answer : answers) {
      answer.whenComplete((voterTerm, error) -> {
        boolean later = error == null && voterTerm > term;
        boolean agrees = error == null && voterTerm == term;
        boolean confirmedNow;
        boolean hopeless;
        synchronized (tally) {
          tally.undecided--;
          if (agrees) {
            tally.agreeing++;
          }
          confirmedNow = tally.agreeing >= needed;
          hopeless = tally.agreeing + tally.undecided < needed;
        }
        if (later) {
          confirmed.completeExceptionally(StoreError.LEADER_CHANGED.exception());
        } else if (confirmedNow) {
          confirmed.complete(null);
        } else if (hopeless) {
          confirmed.completeExceptionally(StoreError.TIMEOUT.exception());
        }
      });
    }
    return confirmed;
  }
}
