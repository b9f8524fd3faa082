package io.keel.store.server;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS on the client URLs ({@code https://}), from etcd's flags: {@code --cert-file},
 * {@code --key-file} (PEM; the key in PKCS#8), {@code --trusted-ca-file} and
 * {@code --client-cert-auth}. {@link #NONE} when the member serves plain HTTP only.
 */
public record ClientTls(Path certFile, Path keyFile, Path trustedCaFile, boolean clientCertAuth) {
  public static final ClientTls NONE = new ClientTls(null, null, null, false);

  public ClientTls {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("--cert-file and --key-file go together: give both or neither");
    }
    if (clientCertAuth && trustedCaFile == null) {
      throw new IllegalArgumentException("--client-cert-auth needs --trusted-ca-file (the CA that"
          + " signs client certificates)");
    }
    if (certFile == null && (trustedCaFile != null || clientCertAuth)) {
      throw new IllegalArgumentException(
          "--trusted-ca-file and --client-cert-auth need --cert-file and --key-file");
    }
    for (var file : new Path[] {certFile, keyFile, trustedCaFile}) {
      if (file != null && !Files.isReadable(file)) {
        throw new IllegalArgumentException("cannot read " + file + " (" + (Files.exists(file)
            ? "permission denied" : "no such file") + ")");
      }
    }
  }

  public boolean enabled() {
    return certFile != null;
  }
}
