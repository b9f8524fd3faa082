package io.keel.store.raft;

import io.keel.store.apply.Alarms;
import io.keel.store.apply.Members;
import io.keel.store.auth.AuthStore;
import io.keel.store.lease.Lessor;
import io.keel.store.mvcc.MvccStore;
import java.util.List;

/**
 * The replicated state at one revision, taken quickly (between applied entries) and written out
 * later, while writes go on. Close it when written: compaction waits for open captures.
 */
public record StateCapture(MvccStore.Snapshot store, List<Lessor.LeaseRecord> leases,
    List<Alarms.Alarm> alarms, List<Members.Member> members, AuthStore.State auth)
    implements AutoCloseable {

  public static StateCapture of(MvccStore store, Lessor lessor, Alarms alarms, Members members,
      AuthStore auth) {
    return new StateCapture(store.openSnapshot(), lessor.capture(), alarms.all(), members.all(),
        auth.capture());
  }

  @Override
  public void close() {
    store.close();
  }
}
