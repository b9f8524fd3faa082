package io.keel.store.server;

import io.keel.store.apply.Members;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a member joins an existing cluster on an empty data dir, it asks its peers (on their peer
 * URLs, the only ones {@code --initial-cluster} gives it) for the member list, as etcd does, and
 * takes from it the id {@code member add} gave it. If the cluster does not list this member's
 * peer URLs it was never added, and the start fails at once, naming the fix, instead of waiting
 * for a leader that will never contact it. Its {@code --initial-cluster} must also list the
 * cluster's members, as etcd's check of the peer URLs requires, and its cluster token must be the
 * cluster's. The first peer that answers decides; each answers from a linearizable read. If no
 * peer answers, the start fails, as etcd's does: the member cannot know its id.
 */
public final class JoinCheck {
  private static final Logger LOG = LoggerFactory.getLogger(JoinCheck.class);

  /** A member's answer: the cluster's id and its member list. */
  public record Listing(long clusterId, List<Members.Member> members) {}

  /** Asks the member at a peer URL for the cluster's member list. */
  public interface PeerMembers {
    CompletableFuture<Listing> members(URI peerUrl);
  }

  private JoinCheck() {}

  /**
   * Checks that the cluster ({@code clusterId}) lists this member ({@code name},
   * {@code peerUrls}), asking {@code otherPeers} in turn, each for at most {@code timeout}, and
   * answers the id the cluster lists it under.
   *
   * @throws IllegalArgumentException if a peer answers with a list that does not hold this
   *     member, or for another cluster, or if no peer answers
   */
  public static long check(String name, List<String> peerUrls, long clusterId,
      Map<String, List<String>> initialCluster, List<URI> otherPeers, PeerMembers ask,
      Duration timeout) {
    for (URI peer : otherPeers) {
      Listing listing;
      try {
        listing = ask.members(peer).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        LOG.info("could not ask {} for the member list: {}", peer, e.toString());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while asking " + peer + " for the members");
      }
      List<Members.Member> list = listing.members();
      if (listing.clusterId() != clusterId) {
        throw new IllegalArgumentException(peer + " answered for cluster "
            + Long.toHexString(listing.clusterId()) + ", but this member's --initial-cluster-token"
            + " makes cluster " + Long.toHexString(clusterId) + ": start it with the cluster's"
            + " --initial-cluster-token");
      }
      var mine = list.stream()
          .filter(m -> new HashSet<>(m.peerUrls()).equals(new HashSet<>(peerUrls))).findFirst();
      if (mine.isEmpty()) {
        throw new IllegalArgumentException("member '" + name + "' (peer URLs " + peerUrls
            + ") is not in the cluster's member list (" + describe(list) + ", as " + peer
            + " answered): add it first with `etcdctl member add " + name + " --peer-urls="
            + String.join(",", peerUrls) + "`, or start a new cluster with"
            + " --initial-cluster-state new");
      }
      Set<Set<String>> listed = list.stream().map(m -> Set.copyOf(m.peerUrls()))
          .collect(Collectors.toSet());
      Set<Set<String>> given = initialCluster.values().stream().map(Set::<String>copyOf)
          .collect(Collectors.toSet());
      if (!listed.equals(given) || list.size() != initialCluster.size()) {
        throw new IllegalArgumentException("--initial-cluster (" + initialCluster.entrySet()
            .stream().map(e -> e.getKey() + "=" + String.join(",", e.getValue()))
            .collect(Collectors.joining(", ")) + ") does not match the cluster's member list ("
            + describe(list) + ", as " + peer + " answered): give the --initial-cluster that"
            + " `etcdctl member add` printed");
      }
      return mine.get().id();
    }
    throw new IllegalArgumentException("no member of the cluster answered at " + otherPeers
        + " (their peer URLs in --initial-cluster): a member joining with"
        + " --initial-cluster-state existing takes its id from the cluster's member list; start it"
        + " when one of them is reachable");
  }

  private static String describe(List<Members.Member> list) {
    return list.stream()
        .map(m -> (m.name().isEmpty() ? Long.toHexString(m.id()) : m.name()) + "="
            + String.join(",", m.peerUrls()))
        .collect(Collectors.joining(", "));
  }
}
