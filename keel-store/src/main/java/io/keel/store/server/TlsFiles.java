package io.keel.store.server;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS on the client URLs or on the peer URLs ({@code https://}), from etcd's flags:
 * {@code --cert-file}, {@code --key-file} (PEM; the key in PKCS#8), {@code --trusted-ca-file},
 * {@code --client-cert-auth}, and the same with {@code --peer-} in front. {@link #NONE} when
 * those URLs are plain HTTP.
 *
 * @param flagPrefix {@code "--"} or {@code "--peer-"}, for messages
 */
public record TlsFiles(String flagPrefix, Path certFile, Path keyFile, Path trustedCaFile,
    boolean clientCertAuth) {
  public static final TlsFiles NONE = new TlsFiles("--", null, null, null, false);

  public TlsFiles {
    String cert = flagPrefix + "cert-file";
    String key = flagPrefix + "key-file";
    String ca = flagPrefix + "trusted-ca-file";
    String auth = flagPrefix + "client-cert-auth";
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException(cert + " and " + key + " go together: give both or neither");
    }
    if (clientCertAuth && trustedCaFile == null) {
      throw new IllegalArgumentException(auth + " needs " + ca + " (the CA that signs the"
          + " certificates to accept)");
    }
    if (certFile == null && (trustedCaFile != null || clientCertAuth)) {
      throw new IllegalArgumentException(ca + " and " + auth + " need " + cert + " and " + key);
    }
    for (var file : new Path[] {certFile, keyFile, trustedCaFile}) {
      if (file != null && !Files.isReadable(file)) {
        throw new IllegalArgumentException("cannot read " + file + " (" + (Files.exists(file)
            ? "permission denied" : "no such file") + ")");
      }
    }
  }

  /** No TLS, with this flag prefix for messages. */
  public static TlsFiles none(String flagPrefix) {
    return new TlsFiles(flagPrefix, null, null, null, false);
  }

  public boolean enabled() {
    return certFile != null;
  }
}
