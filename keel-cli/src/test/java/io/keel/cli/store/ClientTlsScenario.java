package io.keel.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import io.keel.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member serving its client URL over TLS with etcd's flags ({@code https://}, {@code --cert-file},
 * {@code --key-file}, {@code --trusted-ca-file}, {@code --client-cert-auth}): etcdctl with the client
 * certificate reads and writes, one without it is refused, HTTP on the same port ({@code /health}, the
 * JSON gateway) works over TLS, and a plaintext connection is closed unanswered. Written once,
 * bound to the Keel store and to real etcd.
 */
abstract class ClientTlsScenario {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path work;
    private Process server;
    private String endpoint;
    private TestCertificates certs;

    /** The command that starts a single member with these URLs and flags. */
    protected abstract List<String> command(Path dataDir, String clientUrl, String peerUrl, List<String> tlsFlags);

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Etcdctl.Result etcdctl(List<String> flags, String... args) {
        List<String> all = new ArrayList<>(flags);
        all.addAll(List.of(args));
        return new Etcdctl(endpoint).withTimeout(Duration.ofSeconds(20)).run(all, null);
    }

    private void start() throws Exception {
        certs = TestCertificates.create(work.resolve("certs"));
        int[] ports = FreePorts.allocate(2);
        endpoint = "https://127.0.0.1:" + ports[0];
        List<String> command = command(work.resolve("data"), endpoint, "http://127.0.0.1:" + ports[1], List.of(
                "--cert-file", certs.serverCert().toString(), "--key-file", certs.serverKey().toString(),
                "--trusted-ca-file", certs.ca().toString(), "--client-cert-auth"));
        server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile()).start();
        Await.until(START, "the member answers etcdctl over TLS (log " + work.resolve("server.log") + ")",
                () -> server.isAlive() && etcdctl(certs.etcdctlFlags(), "endpoint", "health").ok());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void clientsWithACertificateSignedByTheTrustedCaAreServedOverTls() throws Exception {
        start();
        assertThat(etcdctl(certs.etcdctlFlags(), "put", "secret", "v1").stdout()).contains("OK");
        assertThat(etcdctl(certs.etcdctlFlags(), "get", "secret", "--print-value-only").stdout().strip())
                .isEqualTo("v1");

        Etcdctl.Result noCertificate = etcdctl(List.of("--cacert", certs.ca().toString(), "--dial-timeout", "3s",
                "--command-timeout", "5s"), "get", "secret");
        assertThat(noCertificate.ok()).as(noCertificate.stdout() + noCertificate.stderr()).isFalse();

        HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(certs.clientContext()).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create(endpoint + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body().strip()).isEqualTo("{\"health\":\"true\"}");
        HttpResponse<String> range = https.send(HttpRequest.newBuilder(URI.create(endpoint + "/v3/kv/range"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"c2VjcmV0\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(range.body()).contains("\"value\":\"djE=\"");

        assertThat(plaintextAnswer()).as("what the TLS port answers plaintext HTTP: it hangs up").isEmpty();
    }

    /** What the TLS port answers a plaintext HTTP request. */
    private String plaintextAnswer() throws IOException {
        URI uri = URI.create(endpoint);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
