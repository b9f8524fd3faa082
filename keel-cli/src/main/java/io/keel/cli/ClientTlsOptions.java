package io.keel.cli;

import io.keel.store.server.ClientTls;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** etcd's client TLS flags, for {@code keel store}. */
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

  @Option(names = "--client-cert-auth",
      description = "Require clients to present a certificate signed by --trusted-ca-file.")
  boolean clientCertAuth;

  ClientTls toTls() {
    return new ClientTls(certFile, keyFile, trustedCaFile, clientCertAuth);
  }
}
