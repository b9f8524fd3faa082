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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with etcd's flags, written once and bound to the Keel store and to real etcd. On a client
 * URL ({@code https://}, {@code --cert-file}, {@code --key-file}, {@code --trusted-ca-file},
 * {@code --client-cert-auth}): etcdctl with the client certificate reads and writes, one without
 * it is refused, HTTP on the same port ({@code /health}, the JSON gateway) works over TLS, and a
 * plaintext connection is closed unanswered. On peer URLs (the same flags with {@code --peer-},
 * certificates required both ways): three members elect a leader, replicate, and elect another
 * when the leader is killed.
 */
abstract class TlsScenario {
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path work;
    private final List<Process> members = new ArrayList<>();
    private TestCertificates certs;

    /** The program that takes etcd's member flags: etcd, or {@code keel store}. */
    protected abstract List<String> program();

    private List<String> command(String name, Path dataDir, String clientUrl, String peerUrl, String initialCluster,
            List<String> tlsFlags) {
        List<String> command = new ArrayList<>(program());
        command.addAll(List.of("--name", name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", initialCluster));
        command.addAll(tlsFlags);
        return command;
    }

    @BeforeEach
    void makeCertificates() throws Exception {
        certs = TestCertificates.create(work.resolve("certs"));
    }

    @AfterEach
    void stopMembers() throws InterruptedException {
        MemberProcesses.stopAll(members);
    }

    private Process launch(String name, String clientUrl, String peerUrl, String initialCluster, List<String> tlsFlags)
            throws IOException {
        Process member = new ProcessBuilder(command(name, work.resolve(name), clientUrl, peerUrl, initialCluster,
                tlsFlags)).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile()).start();
        members.add(member);
        return member;
    }

    private static Etcdctl.Result etcdctl(String endpoints, List<String> flags, String... args) {
        List<String> all = new ArrayList<>(flags);
        all.addAll(List.of(args));
        return new Etcdctl(endpoints).withTimeout(Duration.ofSeconds(20)).run(all, null);
    }

    private List<String> tlsFlags(String prefix, TestCertificates c) {
        return List.of(prefix + "cert-file", c.serverCert().toString(), prefix + "key-file", c.serverKey().toString(),
                prefix + "trusted-ca-file", c.ca().toString(), prefix + "client-cert-auth");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void clientsWithACertificateSignedByTheTrustedCaAreServedOverTls() throws Exception {
        int[] ports = FreePorts.allocate(2);
        String endpoint = "https://127.0.0.1:" + ports[0];
        String peerUrl = "http://127.0.0.1:" + ports[1];
        Process member = launch("m1", endpoint, peerUrl, "m1=" + peerUrl, tlsFlags("--", certs));
        Await.until(START, "the member answers etcdctl over TLS (log " + work.resolve("m1.log") + ")",
                () -> member.isAlive() && etcdctl(endpoint, certs.etcdctlFlags(), "endpoint", "health").ok());

        assertThat(etcdctl(endpoint, certs.etcdctlFlags(), "put", "secret", "v1").stdout()).contains("OK");
        assertThat(etcdctl(endpoint, certs.etcdctlFlags(), "get", "secret", "--print-value-only").stdout().strip())
                .isEqualTo("v1");

        Etcdctl.Result noCertificate = etcdctl(endpoint, List.of("--cacert", certs.ca().toString(), "--dial-timeout",
                "3s", "--command-timeout", "5s"), "get", "secret");
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

        assertThat(plaintextAnswer(endpoint)).as("what the TLS port answers plaintext HTTP: it hangs up").isEmpty();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void membersReplicateAndElectOverMutualTlsOnPeerUrls() throws Exception {
        Map<String, int[]> ports = new LinkedHashMap<>();
        for (String name : List.of("m1", "m2", "m3")) {
            ports.put(name, FreePorts.allocate(2));
        }
        String initialCluster = ports.entrySet().stream()
                .map(e -> e.getKey() + "=https://127.0.0.1:" + e.getValue()[1]).collect(Collectors.joining(","));
        Map<String, Process> byName = new LinkedHashMap<>();
        for (var e : ports.entrySet()) {
            byName.put(e.getKey(), launch(e.getKey(), "http://127.0.0.1:" + e.getValue()[0],
                    "https://127.0.0.1:" + e.getValue()[1], initialCluster, tlsFlags("--peer-", certs)));
        }
        String all = ports.values().stream().map(p -> "http://127.0.0.1:" + p[0]).collect(Collectors.joining(","));
        Await.until(START, "three members with a leader (logs in " + work + ")",
                () -> etcdctl(all, List.of(), "endpoint", "health").ok());

        for (var e : ports.entrySet()) {
            String endpoint = "http://127.0.0.1:" + e.getValue()[0];
            assertThat(etcdctl(endpoint, List.of(), "put", "from-" + e.getKey(), "v").stdout()).contains("OK");
        }
        String members = etcdctl(all, List.of(), "member", "list").stdout();
        assertThat(members.lines()).hasSize(3).allSatisfy(line -> assertThat(line).contains("https://127.0.0.1:"));

        String leader = leaderName(all, ports);
        byName.get(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String survivors = ports.entrySet().stream().filter(e -> !e.getKey().equals(leader))
                .map(e -> "http://127.0.0.1:" + e.getValue()[0]).collect(Collectors.joining(","));
        Await.until(START, "a new leader among the two left",
                () -> etcdctl(survivors, List.of(), "put", "after-failover", "v").ok());
        assertThat(etcdctl(survivors, List.of(), "get", "", "--prefix", "--keys-only").stdout())
                .contains("from-m1", "from-m2", "from-m3", "after-failover");
    }

    private static String leaderName(String endpoints, Map<String, int[]> ports) {
        String table = etcdctl(endpoints, List.of(), "endpoint", "status").stdout();
        for (String line : table.lines().toList()) {
            if (line.contains(", true, ")) {
                for (var e : ports.entrySet()) {
                    if (line.startsWith("http://127.0.0.1:" + e.getValue()[0] + ",")) {
                        return e.getKey();
                    }
                }
            }
        }
        throw new AssertionError("no leader in:\n" + table);
    }

    /** What a TLS port answers a plaintext HTTP request. */
    private static String plaintextAnswer(String endpoint) throws IOException {
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
