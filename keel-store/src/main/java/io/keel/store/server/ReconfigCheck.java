package io.keel.store.server;

import java.util.Collection;
import java.util.Set;

/**
 * etcd's strict reconfiguration check ({@code --strict-reconfig-check}, on by default in 3.4):
 * the leader refuses a voting-member change that would leave the cluster without a quorum of
 * connected voters, answering {@code etcdserver: unhealthy cluster}. Without it, removing one
 * member while another is down leaves a configuration no quorum can commit, and the cluster
 * stops until the other member returns.
 */
public final class ReconfigCheck {
  private ReconfigCheck() {}

  /**
   * Whether {@code removed} may leave: the voters that stay and are connected still make a quorum
   * of the voters that stay.
   *
   * @param connected the voters the leader heard from lately, the leader included
   */
  public static boolean readyToRemove(Collection<String> voters, Set<String> connected,
      String removed) {
    long staying = voters.stream().filter(v -> !v.equals(removed)).count();
    long connectedStaying = voters.stream()
        .filter(v -> !v.equals(removed) && connected.contains(v)).count();
    return connectedStaying >= quorum(staying);
  }

  /**
   * Whether a voter may join: as in etcd 3.4, only while every voter is connected (a new voter
   * raises the quorum before it has caught up, so any member down may cost the quorum).
   */
  public static boolean readyToAdd(Collection<String> voters, Set<String> connected) {
    return connected.containsAll(voters);
  }

  private static long quorum(long voters) {
    return voters / 2 + 1;
  }
}
