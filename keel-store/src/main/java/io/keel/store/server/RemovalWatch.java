package io.keel.store.server;

import io.keel.store.apply.Members;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How a member removed while it was down learns it once restarted on its old data dir. etcd's
 * peers refuse a removed member's messages and it exits; Ratis's peers ignore them, so such a
 * member never finds a leader. After {@code patience} without one, it asks the other members in
 * its own member list whether the cluster still lists it; each answers from a linearizable read,
 * so a "no" means the committed member list does not hold it now, and settles it.
 *
 * <p>A member whose own list is empty (a new member that has not caught up) asks no one. Run on
 * one thread, as a timer tick.
 */
public final class RemovalWatch implements Runnable {

  /** Asks the member at {@code peerUrl} whether the cluster lists a member. */
  public interface MemberQuestions {
    CompletableFuture<Boolean> lists(String peerUrl, long memberId);
  }

  private final long self;
  private final BooleanSupplier hasLeader;
  private final Supplier<List<Members.Member>> members;
  private final MemberQuestions questions;
  private final Clock clock;
  private final Duration patience;
  private final Runnable onRemoved;
  private final AtomicBoolean asking = new AtomicBoolean();
  private Instant leaderlessSince;

  public RemovalWatch(long self, BooleanSupplier hasLeader, Supplier<List<Members.Member>> members,
      MemberQuestions questions, Clock clock, Duration patience, Runnable onRemoved) {
    this.self = self;
    this.hasLeader = hasLeader;
    this.members = members;
    this.questions = questions;
    this.clock = clock;
    this.patience = patience;
    this.onRemoved = onRemoved;
  }

  @Override
  public void run() {
    if (hasLeader.getAsBoolean()) {
      leaderlessSince = null;
      return;
    }
    Instant now = clock.instant();
    if (leaderlessSince == null) {
      leaderlessSince = now;
    }
    if (now.isBefore(leaderlessSince.plus(patience)) || !asking.compareAndSet(false, true)) {
      return;
    }
    List<CompletableFuture<Void>> answers = members.get().stream()
        .filter(m -> m.id() != self && !m.peerUrls().isEmpty())
        .map(m -> questions.lists(m.peerUrls().get(0), self)
            .thenAccept(listed -> {
              if (!listed) {
                onRemoved.run();
              }
            })
            .exceptionally(unanswered -> null))
        .toList();
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .whenComplete((r, e) -> asking.set(false));
  }
}
