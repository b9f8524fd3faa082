package io.keel.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.cli.KeelInProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS flags that cannot work are refused before anything starts, naming the problem. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsFlagsTest {
  @TempDir Path dir;

  private KeelInProcess.Result store(String... flags) {
    return KeelInProcess.store(dir.resolve("data"), flags);
  }

  @Test
  void anHttpsClientUrlNeedsACertificateAndKey() {
    var result = store("--listen-client-urls", "https://127.0.0.1:0", "--advertise-client-urls", "https://127.0.0.1:1");
    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("uses https: give --cert-file and --key-file");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void clientCertAuthNeedsATrustedCa() throws Exception {
    Path pem = Files.writeString(dir.resolve("x.pem"), "x");
    var result = store("--cert-file", pem.toString(), "--key-file", pem.toString(), "--client-cert-auth");
    assertThat(result.stderr()).contains("--client-cert-auth needs --trusted-ca-file");
  }

  @Test
  void aMissingFileIsNamed() {
    var result = store("--cert-file", dir.resolve("nope.pem").toString(), "--key-file", dir.resolve("k.pem").toString());
    assertThat(result.stderr()).contains("cannot read " + dir.resolve("nope.pem") + " (no such file)");
  }

  @Test
  void aKeyThatIsNotPkcs8IsNamedWithTheWayToConvertIt() throws Exception {
    var certs = TestCertificates.create(dir.resolve("certs"));
    var result = store("--listen-client-urls", "https://127.0.0.1:0", "--advertise-client-urls", "https://127.0.0.1:1",
        "--cert-file", certs.serverCert().toString(), "--key-file", certs.serverCert().toString());
    assertThat(result.exit()).isNotZero();
    assertThat(result.stderr()).contains("cannot use --cert-file").contains("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void anHttpsPeerUrlNeedsAPeerCertificateAndKey() {
    var result = store("--listen-peer-urls", "https://127.0.0.1:0", "--initial-advertise-peer-urls", "https://127.0.0.1:1",
        "--initial-cluster", "default=https://127.0.0.1:1");
    assertThat(result.stderr()).contains("peer URL 'https://127.0.0.1:0' uses https: give --peer-cert-file and --peer-key-file");
  }

  @Test
  void peerUrlsDoNotMixSchemes() {
    var result = store("--listen-peer-urls", "http://127.0.0.1:0", "--initial-advertise-peer-urls", "http://127.0.0.1:1",
        "--initial-cluster", "default=http://127.0.0.1:1,other=https://127.0.0.1:2");
    assertThat(result.stderr()).contains("peer URLs mix http:// and https://");
  }

  @Test
  void metricsUrlsStayPlainHttp() {
    var result = store("--listen-metrics-urls", "https://127.0.0.1:0");
    assertThat(result.stderr()).contains("--listen-metrics-urls: 'https://127.0.0.1:0' must use http://");
  }

  @Test
  void peerFlagsAreNamedWithTheirPrefix() {
    var result = store("--peer-client-cert-auth");
    assertThat(result.stderr()).contains("--peer-client-cert-auth needs --peer-trusted-ca-file");
  }
}
