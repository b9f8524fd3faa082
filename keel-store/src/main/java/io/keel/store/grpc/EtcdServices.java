package io.keel.store.grpc;

import io.grpc.Channel;
import io.grpc.ServerServiceDefinition;
import io.keel.store.server.TlsFiles;
import io.keel.store.server.LeaseIds;
import io.keel.store.server.LocalMember;
import io.keel.store.server.Membership;
import io.keel.store.watch.WatchHub;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;

/** The etcd v3 gRPC services of one member, ready to add to a server. */
public final class EtcdServices {
  private EtcdServices() {}

  /**
   * @param self a channel to these same services (in process), on which the lock and election
   *     services make their calls, as etcd's do on its in-process client
   * @param peerTls how this member reaches other members' https:// peer URLs
   * @param callMetrics counts the calls other members make on this member's peer port
   */
  public static List<ServerServiceDefinition> bind(LocalMember member, Membership membership,
      WatchHub hub, Executor watchExecutor, Path scratchDir, Channel self, TlsFiles peerTls,
      MetricsInterceptor callMetrics) {
    var peers = new PeerCalls(member, peerTls, callMetrics);
    member.raft().setForwarder(new RaftForwarding(member, peers));
    member.raft().setVoterTerms(new VoterTermCalls(member, peers));
    membership.watchForRemoval(new PeerMemberCalls(peerTls));
    PeerMemberCalls.answerOnPeerPort(member);
    var lease = new LeaseService(member, new LeaseIds(member.identity().memberId(),
        Clock.systemUTC()), peers);
    return List.of(
        new KvService(member).bindService(),
        new WatchService(member, hub, watchExecutor).bindService(),
        LeaseLeasesMethod.addTo(lease.bindService(), member),
        new ClusterService(member, membership, peers).bindService(),
        new MaintenanceService(member, scratchDir).bindService(),
        new AuthService(member).bindService(),
        new LockService(new LocalClient(AuthInterceptor.passingTokenOn(self))).bindService(),
        new ElectionService(new LocalClient(AuthInterceptor.passingTokenOn(self))).bindService(),
        HealthService.definition());
  }
}
