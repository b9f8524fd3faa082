package io.keel.store.server;

import java.util.Collection;
import java.util.Set;

/**
 * etcd's strict reconfiguration check ({@code --strict-reconfig-check}, on by default in 3.4):
 * the leader refuses a voting-member change that would leave the cluster without a quorum of
 * connected voters, answering {@code etcdserver: unhealthy cluster}. Without it, removing one
 * member while another is down leaves a configuration no quorum can commit, and the cluster
 * stops until the other member returns. As in etcd, "connected" means connected for a while
 * ({@link ConnectedPeers}); the leader always counts itself.
 */
public final class ReconfigCheck {
  private ReconfigCheck() {}

  /**
   * Whether {@code removed} may leave, as etcd's {@code mayRemoveMember} decides: a voter that
   * does not answer at all may (it is no part of the quorum that answers); otherwise the voters
   * connected for a while, less the one leaving, must make a quorum of the voters that stay.
   *
   * @param answering the voters that answer now, the leader included
   * @param connected the voters that have answered for a while, the leader included
   */
  public static boolean readyToRemove(Collection<String> voters, Set<String> answering,
      Set<String> connected, String removed) {
    if (!answering.contains(removed)) {
      return true;
    }
    long active = voters.stream().filter(connected::contains).count();
    return active - 1 >= quorum(voters.size() - 1);
  }

  /**
   * Whether a member may join: as in etcd 3.4, only while every voter has been connected for a
   * while (a new voter raises the quorum before it has caught up, so any member down may cost
   * the quorum).
   */
  public static boolean readyToAdd(Collection<String> voters, Set<String> connected) {
    return connected.containsAll(voters);
  }

  private static long quorum(long voters) {
    return voters / 2 + 1;
  }
}
