package io.keel.cli;

import io.keel.store.server.TlsFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** etcd's TLS flags for client and peer URLs, for {@code keel store}. */
final class ClientTlsOptions {
  @Option(names = "--cert-file",
      description = "PEM certificate the https:// client URLs serve.")
  Path certFile;

  @Option(names = "--key-file",
      description = "PEM private key of --cert-file, in PKCS#8 (BEGIN PRIVATE KEY).")
  Path keyFile;

  @Option(names = "--trusted-ca-file",
      description = "PEM CA certificates that sign client certificates (and other members').")
  Path trustedCaFile;

  @Option(names = "--client-cert-auth", arity = "0..1",
      description = "Require clients to present a certificate signed by --trusted-ca-file.")
  boolean clientCertAuth;

  @Option(names = "--peer-cert-file",
      description = "PEM certificate of the https:// peer URLs, also presented to other members.")
  Path peerCertFile;

  @Option(names = "--peer-key-file",
      description = "PEM private key of --peer-cert-file, in PKCS#8 (BEGIN PRIVATE KEY).")
  Path peerKeyFile;

  @Option(names = "--peer-trusted-ca-file",
      description = "PEM CA certificates that sign the other members' peer certificates.")
  Path peerTrustedCaFile;

  @Option(names = "--peer-client-cert-auth", arity = "0..1",
      description = "Require members to present a peer certificate signed by --peer-trusted-ca-file.")
  boolean peerClientCertAuth;

  TlsFiles client() {
    return new TlsFiles("--", certFile, keyFile, trustedCaFile, clientCertAuth);
  }

  TlsFiles peer() {
    return new TlsFiles("--peer-", peerCertFile, peerKeyFile, peerTrustedCaFile, peerClientCertAuth);
  }
}
