package io.keel.store.http;

import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import io.grpc.ServerCredentials;
import java.util.function.Supplier;

/**
 * gRPC and HTTP/1.1 on one client port, as etcd serves them: each connection's first bytes
 * decide. HTTP/2's preface goes to gRPC exactly as a plaintext gRPC server would take it;
 * anything else is read as HTTP/1.1 by the handler {@code http} makes.
 */
public final class ClientPortProtocols implements InternalProtocolNegotiator.ProtocolNegotiator {
  private final InternalProtocolNegotiator.ProtocolNegotiator grpc =
      InternalProtocolNegotiators.serverPlaintext();
  private final Supplier<ChannelHandler> http;
  private final int maxHttpBodyBytes;
  private final SslContext tls;

  private ClientPortProtocols(Supplier<ChannelHandler> http, int maxHttpBodyBytes,
      SslContext tls) {
    this.http = http;
    this.maxHttpBodyBytes = maxHttpBodyBytes;
    this.tls = tls;
  }

  /**
   * Credentials for a gRPC server whose port also serves etcd's HTTP endpoints.
   *
   * @param tls the port's TLS ({@link ClientPortTls#server}), or null for plain http://
   */
  public static ServerCredentials credentials(io.grpc.Channel target, HealthCheck health,
      Supplier<String> metrics, int maxHttpBodyBytes, SslContext tls) {
    return InternalNettyServerCredentials.create(new ClientPortProtocols(
        () -> new HttpGateway(target, health, metrics), maxHttpBodyBytes, tls));
  }

  @Override
  public AsciiString scheme() {
    return grpc.scheme();
  }

  @Override
  public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
    return new ProtocolSniffer(grpc.newHandler(grpcHandler), http, maxHttpBodyBytes, tls);
  }

  @Override
  public void close() {
    grpc.close();
  }
}
