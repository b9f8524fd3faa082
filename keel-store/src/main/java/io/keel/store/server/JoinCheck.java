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
 * URLs, the only ones {@code --initial-cluster} gives it) for the member list, as etcd does: if
 * the cluster does not list this member's peer URLs it was never added with {@code member add},
 * and the start fails at once, naming the fix, instead of waiting for a leader that will never
 * contact it. Its {@code --initial-cluster} must also list the cluster's members, as etcd's
 * check of the peer URLs requires. The first peer that answers decides; each answers from a
 * linearizable read. If no peer answers, the member starts and waits, as before.
 */
public final class JoinCheck {
  private static final Logger LOG = LoggerFactory.getLogger(JoinCheck.class);

  /** Asks the member at a peer URL for the cluster's member list. */
  public interface PeerMembers {
    CompletableFuture<List<Members.Member>> members(URI peerUrl);
  }

  private JoinCheck() {}

  /**
   * Checks that the cluster lists this member ({@code name}, {@code peerUrls}, {@code id}), asking
   * {@code otherPeers} in turn, each for at most {@code timeout}.
   *
   * @throws IllegalArgumentException if a peer answers with a list that does not hold this
   *     member, or holds its peer URLs under another id
   */
  public static void check(String name, List<String> peerUrls, long id,
      Map<String, List<String>> initialCluster, List<URI> otherPeers, PeerMembers ask,
      Duration timeout) {
    for (URI peer : otherPeers) {
      List<Members.Member> list;
      try {
        list = ask.members(peer).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        LOG.info("could not ask {} for the member list: {}", peer, e.toString());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
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
      if (mine.get().id() != id) {
        throw new IllegalArgumentException("the cluster lists peer URLs " + peerUrls
            + " as member " + Long.toHexString(mine.get().id()) + ", but this member's id is "
            + Long.toHexString(id) + ": start it with the cluster's --initial-cluster-token");
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
      return;
    }
    LOG.warn("no peer answered whether the cluster lists member '{}'; waiting for a leader", name);
  }

  private static String describe(List<Members.Member> list) {
    return list.stream()
        .map(m -> (m.name().isEmpty() ? Long.toHexString(m.id()) : m.name()) + "="
            + String.join(",", m.peerUrls()))
        .collect(Collectors.joining(", "));
  }
}
