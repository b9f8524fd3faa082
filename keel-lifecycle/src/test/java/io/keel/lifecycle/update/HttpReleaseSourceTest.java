package io.keel.lifecycle.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.testkit.ManualClock;
import io.keel.testkit.ManualScheduler;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HttpReleaseSource against a real UpdateServer on 127.0.0.1. */
class HttpReleaseSourceTest {

    @TempDir
    Path tmp;

    private final KeyPair keys = ReleaseKeys.generate();
    private final HttpClient client = HttpClient.newHttpClient();
    private UpdateServer server;
    private Path root;
    private Manifest published;

    @BeforeEach
    void publishAndServe() throws Exception {
        Path release = Files.createDirectories(tmp.resolve("release"));
        Path payload = release.resolve("keel-1.3.0.zip");
        Files.writeString(payload, "the 1.3.0 distribution");
        new ReleaseSigner(keys.getPrivate())
                .sign(Manifest.describe(payload, Version.parse("1.3.0"), Channel.BETA))
                .write(release.resolve(Manifest.FILE_NAME));
        root = Files.createDirectories(tmp.resolve("www"));
        published = ReleasePublisher.publish(release, root, Channel.BETA, new ReleaseVerifier(keys.getPublic()));
        Files.writeString(tmp.resolve("secret.txt"), "outside the root");
        server = UpdateServer.start(new InetSocketAddress("127.0.0.1", 0), root);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpReleaseSource source() {
        return new HttpReleaseSource(server.uri(), client, Duration.ofSeconds(10));
    }

    @Test
    void fetchesTheManifestAndPayloadOfAChannel() throws Exception {
        Manifest m = source().latest(Channel.BETA);
        assertThat(m).isEqualTo(published);
        new ReleaseVerifier(keys.getPublic()).verifyManifest(m);
        Path target = tmp.resolve("download");
        source().download(Channel.BETA, m, target);
        ReleaseVerifier.verifyPayload(m, target);
    }

    @Test
    void engineUpdatesFromTheServer() throws Exception {
        ManualClock clock = new ManualClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        ManualScheduler executor = new ManualScheduler(clock);
        Slots slots = new Slots(tmp.resolve("machine"), clock);
        UpdateEngine e = new UpdateEngine(clock, executor, source(), new ReleaseVerifier(keys.getPublic()), slots,
                Version.parse("1.2.0"), new UpdateEngine.Config(Channel.BETA, false, false));
        var f = e.check();
        executor.runDue();
        assertThat(f.join().state()).isEqualTo(UpdateState.UPDATED_NEED_REBOOT);
        assertThat(slots.dir(SlotName.B).resolve("keel-1.3.0.zip")).hasContent("the 1.3.0 distribution");
    }

    @Test
    void missingChannelIsAnHttpErrorNamingTheUrl() {
        assertThatThrownBy(() -> source().latest(Channel.STABLE))
                .hasMessage("GET " + server.uri() + "stable/manifest.json returned HTTP 404");
    }

    @Test
    void payloadLargerThanTheManifestSaysIsCutOff() throws Exception {
        Manifest small = new Manifest(published.version(), published.channel(), published.sha256(), 5,
                published.payload(), null);
        assertThatThrownBy(() -> source().download(Channel.BETA, small, tmp.resolve("d")))
                .hasMessageEndingWith("keel-1.3.0.zip is larger than the manifest's 5 bytes");
    }

    @Test
    void unreachableServerIsNamed() throws Exception {
        URI dead = server.uri();
        server.close();
        assertThatThrownBy(() -> new HttpReleaseSource(dead, client, Duration.ofSeconds(5)).latest(Channel.BETA))
                .hasMessageStartingWith("cannot fetch " + dead + "beta/manifest.json");
    }

    @Test
    void serverIsReadOnly() throws Exception {
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(server.uri().resolve("beta/manifest.json"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(Files.readString(root.resolve("beta/manifest.json"))).contains("1.3.0");
        HttpResponse<Void> head = client.send(HttpRequest.newBuilder(server.uri().resolve("beta/keel-1.3.0.zip"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(published.size());
    }

    @Test
    void pathTraversalIsRefused() throws Exception {
        for (String path : new String[] {"/../secret.txt", "/beta/../../secret.txt", "/%2e%2e/secret.txt",
                "/beta%2f..%2f..%2fsecret.txt", "/beta/", "/"}) {
            assertThat(rawGet(path)).as(path).startsWith("HTTP/1.1 404");
        }
        Files.createSymbolicLink(root.resolve("beta/link.txt"), tmp.resolve("secret.txt"));
        assertThat(rawGet("/beta/link.txt")).startsWith("HTTP/1.1 404");
    }

    /** Sends the path as written, without the client normalizing it. */
    private String rawGet(String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
