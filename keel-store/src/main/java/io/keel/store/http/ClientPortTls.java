package io.keel.store.http;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNames;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.keel.store.server.TlsFiles;
import javax.net.ssl.SSLException;

/**
 * The TLS contexts of the client URLs: the server's, and the one a member uses to reach another
 * member's https:// client URL (or, with the peer files, its https:// peer URL).
 */
public final class ClientPortTls {
  private ClientPortTls() {}

  /**
   * The server side. ALPN prefers HTTP/1.1 over h2, so that clients offering both (curl,
   * browsers) speak HTTP/1.1, which the gateway serves, while gRPC clients, which offer only h2,
   * get h2; the protocol sniffer then routes each connection by its first bytes, as on plain
   * ports.
   */
  public static SslContext server(TlsFiles tls) {
    try {
      SslContextBuilder builder = SslContextBuilder.forServer(tls.certFile().toFile(),
              tls.keyFile().toFile())
          .sslProvider(SslProvider.JDK)
          .applicationProtocolConfig(new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              ApplicationProtocolNames.HTTP_1_1, ApplicationProtocolNames.HTTP_2));
      if (tls.trustedCaFile() != null) {
        builder.trustManager(tls.trustedCaFile().toFile());
      }
      if (tls.clientCertAuth()) {
        builder.clientAuth(ClientAuth.REQUIRE);
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(describe(tls, e), e);
    }
  }

  /**
   * The client side of a member's calls to another member's https:// client URL: it trusts
   * {@code --trusted-ca-file} (or the JDK's CAs) and presents its own certificate, as etcd
   * members present theirs.
   */
  public static SslContext client(TlsFiles tls) {
    try {
      SslContextBuilder builder = GrpcSslContexts.forClient()
          .keyManager(tls.certFile().toFile(), tls.keyFile().toFile());
      if (tls.trustedCaFile() != null) {
        builder.trustManager(tls.trustedCaFile().toFile());
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(describe(tls, e), e);
    }
  }

  private static String describe(TlsFiles tls, Exception e) {
    String p = tls.flagPrefix();
    return "cannot use " + p + "cert-file " + tls.certFile() + " and " + p + "key-file "
        + tls.keyFile()
        + (tls.trustedCaFile() == null ? "" : " with " + p + "trusted-ca-file " + tls.trustedCaFile())
        + ": " + e.getMessage() + " (PEM files; the key unencrypted PKCS#8, BEGIN PRIVATE KEY:"
        + " `openssl pkcs8 -topk8 -nocrypt` converts one)";
  }
}
