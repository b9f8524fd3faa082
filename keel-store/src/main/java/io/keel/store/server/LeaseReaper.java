package io.keel.store.server;

import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.keel.store.lease.Lease;
import io.keel.store.auth.Caller;
import io.keel.store.raft.Command;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** On the leader, proposes the revocation of every expired lease, once per lease. */
final class LeaseReaper implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);

  private final LocalMember member;
  private final Set<Long> revoking = ConcurrentHashMap.newKeySet();

  LeaseReaper(LocalMember member) {
    this.member = member;
  }

  @Override
  public void run() {
    try {
      if (!member.raft().isLeader()) {
        return;
      }
      for (Lease lease : member.lessor().expired()) {
        if (revoking.add(lease.id())) {
          member.write(Caller.INTERNAL, Command.LEASE_REVOKE,
                  LeaseRevokeRequest.newBuilder().setID(lease.id()).build(),
                  LeaseRevokeResponse.parser())
              .whenComplete((r, e) -> revoking.remove(lease.id()));
          LOG.info("lease {} expired; revoking", Long.toHexString(lease.id()));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("lease expiry check failed", e);
    }
  }
}
