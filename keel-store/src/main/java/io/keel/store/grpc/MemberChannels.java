package io.keel.store.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.keel.store.mvcc.StoreError;
import io.keel.store.http.ClientPortTls;
import io.keel.store.server.TlsFiles;
import io.keel.store.server.LocalMember;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** gRPC channels from this member to other members' advertised client URLs. */
final class MemberChannels implements AutoCloseable {
  private final LocalMember member;
  private final TlsFiles tls;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  MemberChannels(LocalMember member, TlsFiles tls) {
    this.member = member;
    this.tls = tls;
  }

  /** A channel to the current leader; fails with NO_LEADER if there is none known. */
  ManagedChannel leader() {
    return to(member.leaderClientUrl().orElseThrow(StoreError.NO_LEADER::exception));
  }

  /** A channel to a member's advertised client URL. */
  ManagedChannel to(String url) {
    return channels.computeIfAbsent(url, u -> {
      URI uri = URI.create(u);
      var builder = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
          .maxInboundMessageSize(64 << 20);
      if (uri.getScheme().equals("https") && tls.enabled()) {
        builder.sslContext(ClientPortTls.client(tls));
      } else {
        builder.usePlaintext();
      }
      return builder.build();
    });
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
