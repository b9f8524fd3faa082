package io.keel.store.server;

import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListResponse;
import io.keel.store.apply.Members;
import io.keel.store.mvcc.StoreError;
import io.keel.store.raft.Command;
import io.keel.store.raft.RaftNode;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps etcd's member list and the Raft configuration in step. The member list is replicated
 * state; the Raft configuration follows it: an added member joins the configuration once it is
 * up and caught up (retried on every tick until then), a removed one leaves it. Each member
 * publishes its own name and client URLs, as etcd members do.
 */
public final class Membership implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  private final LocalMember member;
  private final StoreConfig config;
  private final Clock clock;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final ConnectedPeers connectedPeers;
  private volatile boolean listed;
  private final CompletableFuture<Void> removed = new CompletableFuture<>();
  private volatile RemovalWatch removalWatch;

  /** @param clock dates {@code member add}s, whose ids it goes into */
  public Membership(LocalMember member, StoreConfig config, Clock clock) {
    this.member = member;
    this.config = config;
    this.clock = clock;
    this.connectedPeers = new ConnectedPeers(clock);
  }

  /**
   * Lets a member that finds no leader ask the others whether it was removed ({@link
   * RemovalWatch}); until this is called it does not ask.
   */
  public void watchForRemoval(RemovalWatch.MemberQuestions questions) {
    removalWatch = new RemovalWatch(member.identity().memberId(), member.raft()::hasLeader,
        member::members, questions, clock, config.electionTimeout(),
        this::learnedRemoved);
  }

  /**
   * One tick: on the leader, note which followers answer ({@link ConnectedPeers}); if there is no
   * leader, perhaps ask whether this member was removed; otherwise
   * bootstrap the list, publish this member, bring the Raft configuration in line.
   */
  @Override
  public void run() {
    // an exception leaving a scheduled task ends it for good, and with it the member list
    try {
      sampleConnectedPeers();
    } catch (RuntimeException e) {
      LOG.debug("could not read which followers answer", e);
    }
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("membership tick failed", e);
    }
  }

  private void tick() {
    RemovalWatch watch = removalWatch;
    if (watch != null) {
      watch.run();
    }
    if (!member.raft().hasLeader() || !busy.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<?> step;
    try {
      step = nextStep();
    } catch (RuntimeException e) {
      busy.set(false);
      LOG.debug("membership step failed", e);
      return;
    }
    step.whenComplete((r, e) -> {
      busy.set(false);
      if (e != null) {
        LOG.debug("membership step failed: {}", e.toString());
      }
    });
  }

  private void sampleConnectedPeers() {
    connectedPeers.observe(member.raft().isLeader()
        ? member.raft().answeringFollowers(config.electionTimeout().toMillis()) : Set.of());
  }

  private CompletableFuture<?> nextStep() {
    Members table = member.applier().members();
    if (table.isEmpty() && member.raft().isLeader() && config.initialClusterState().equals("new")) {
      return bootstrap();
    }
    long self = member.identity().memberId();
    List<String> clientUrls = config.advertiseClientUrls().stream().map(URI::toString).toList();
    var mine = table.get(self);
    if (mine.isPresent()) {
      listed = true;
    } else if (listed) {
      learnedRemoved();
      return CompletableFuture.completedFuture(null);
    }
    if (mine.isEmpty() || !mine.get().name().equals(config.name())
        || !mine.get().clientUrls().equals(clientUrls)) {
      List<String> peerUrls = config.initialAdvertisePeerUrls().stream().map(URI::toString)
          .toList();
      return member.write(Command.MEMBER_PUBLISH, Member.newBuilder().setID(self)
          .setName(config.name()).addAllPeerURLs(peerUrls).addAllClientURLs(clientUrls)
          .build(), MemberListResponse.parser())
          .thenRun(() -> LOG.info("published member {} ({}) with client URLs {}",
              config.name(), MemberIdentity.raftId(self), clientUrls));
    }
    if (member.raft().isLeader() && needsJoin(table)) {
      return member.raft().setConfiguration(peers(table, false), peers(table, true))
          .thenRun(() -> LOG.info("Raft configuration now {}", member.raft().configuredVoters()));
    }
    return CompletableFuture.completedFuture(null);
  }

  private CompletableFuture<?> bootstrap() {
    CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
    for (Map.Entry<String, List<URI>> e : config.initialCluster().entrySet()) {
      List<String> urls = e.getValue().stream().map(URI::toString).toList();
      Member m = Member.newBuilder()
          .setID(MemberIdentity.memberId(urls, config.initialClusterToken()))
          .addAllPeerURLs(urls).build();
      chain = chain.thenCompose(x -> member.write(Command.MEMBER_ADD, m,
          MemberListResponse.parser()));
    }
    return chain;
  }

  private boolean needsJoin(Members table) {
    Set<String> voters = new HashSet<>(member.raft().configuredVoters());
    Set<String> learners = new HashSet<>(member.raft().configuredLearners());
    for (Members.Member m : table.all()) {
      String id = MemberIdentity.raftId(m.id());
      if (m.learner() ? !learners.contains(id) : !voters.contains(id)) {
        return true;
      }
    }
    return false;
  }

  private static List<RaftNode.Peer> peers(Members table, boolean learners) {
    List<RaftNode.Peer> out = new ArrayList<>();
    for (Members.Member m : table.all()) {
      if (m.learner() == learners && !m.peerUrls().isEmpty()) {
        out.add(new RaftNode.Peer(MemberIdentity.raftId(m.id()),
            StoreConfig.address(URI.create(m.peerUrls().get(0))), learners));
      }
    }
    return out;
  }

  /** etcd's words when a member learns it was removed; it then takes no part. */
  private void learnedRemoved() {
    if (removed.complete(null)) {
      LOG.error("the member has been permanently removed from the cluster (this member: {})",
          MemberIdentity.raftId(member.identity().memberId()));
      LOG.info("the data-dir used by this member must be removed.");
    }
  }

  /**
   * Completes once this member learns it is no longer in the cluster's member list: it was
   * removed with {@code member remove}, while it ran or while it was down (etcd's member then
   * stops).
   */
  public CompletableFuture<Void> removed() {
    return removed;
  }

  /**
   * On the leader: whether a membership change may go ahead ({@link ReconfigCheck}); fails with
   * {@code etcdserver: unhealthy cluster} when it would leave no quorum of connected voters.
   * Counts as connected the voters that answer now ({@link RaftNode#reachableVoters}, within an
   * election timeout) and have answered for etcd's five seconds ({@link ConnectedPeers}).
   *
   * @param removing the member to remove, or empty for a member to add
   */
  public CompletableFuture<Void> checkReconfigurable(OptionalLong removing) {
    List<String> voters = member.raft().configuredVoters();
    String self = MemberIdentity.raftId(member.identity().memberId());
    return member.raft().reachableVoters(config.electionTimeout()).thenAccept(answering -> {
      Set<String> connected = new HashSet<>(connectedPeers.connectedForHealthInterval());
      connected.add(self);
      connected.retainAll(answering);
      boolean ready = removing.isPresent()
          ? ReconfigCheck.readyToRemove(voters, answering, connected,
              MemberIdentity.raftId(removing.getAsLong()))
          : ReconfigCheck.readyToAdd(voters, connected);
      if (!ready) {
        LOG.warn("refused a membership change: voters {}, of which answering {}, and for {} s {}",
            voters, answering, ConnectedPeers.HEALTH_INTERVAL.toSeconds(), connected);
        throw StoreError.UNHEALTHY.exception();
      }
    });
  }

  /**
   * etcd's MemberAdd: records the member; it joins the Raft group once it is up. Answers the
   * member list after the change.
   */
  public CompletableFuture<MemberListResponse> add(List<String> peerUrls, boolean learner) {
    if (peerUrls.isEmpty()) {
      return CompletableFuture.failedFuture(StoreError.NOT_CAPABLE.exception());
    }
    Member m = Member.newBuilder()
        .setID(MemberIdentity.addedMemberId(peerUrls, config.initialClusterToken(),
            clock.instant()))
        .addAllPeerURLs(peerUrls).setIsLearner(learner).build();
    return member.write(Command.MEMBER_ADD, m, MemberListResponse.parser());
  }

  /** etcd's MemberRemove: drops the member from the list and from the Raft configuration. */
  public CompletableFuture<Void> remove(long id) {
    return member.write(Command.MEMBER_REMOVE, Member.newBuilder().setID(id).build(),
            MemberListResponse.parser())
        .thenCompose(this::reconfigure);
  }

  /** etcd's MemberUpdate: new peer URLs for a member. */
  public CompletableFuture<Void> update(long id, List<String> peerUrls) {
    return member.write(Command.MEMBER_UPDATE,
            Member.newBuilder().setID(id).addAllPeerURLs(peerUrls).build(),
            MemberListResponse.parser())
        .thenCompose(this::reconfigure);
  }

  /** etcd's MemberPromote: a learner becomes a voting member. */
  public CompletableFuture<Void> promote(long id) {
    return member.write(Command.MEMBER_PROMOTE, Member.newBuilder().setID(id).build(),
            MemberListResponse.parser())
        .thenCompose(this::reconfigure);
  }

  /** Sets the Raft configuration to the member list the leader answered with. */
  private CompletableFuture<Void> reconfigure(MemberListResponse after) {
    Members table = new Members();
    table.restore(after.getMembersList().stream().map(Members.Member::fromWire).toList());
    return member.raft().setConfiguration(peers(table, false), peers(table, true));
  }
}
