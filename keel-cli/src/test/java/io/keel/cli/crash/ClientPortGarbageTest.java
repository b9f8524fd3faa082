package io.keel.cli.crash;

import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever arrives on the client port, the store stays up: after each kind of garbage a normal
 * etcd request still works on a fresh connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientPortGarbageTest {

    private static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path workDir;

    private StoreProcess store;
    private InetSocketAddress clientPort;
    private int requests;

    @BeforeAll
    void startStore() {
        store = KeelStoreProcess.start(workDir, System.getProperty("java.class.path"));
        URI uri = URI.create(store.endpoint());
        clientPort = new InetSocketAddress("127.0.0.1", uri.getPort());
    }

    @AfterAll
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @AfterEach
    void storeStillServes() {
        assertThat(store.isAlive()).as("the store process is alive").isTrue();
        String key = "/crash/garbage/" + requests++;
        try (Client client = Client.builder().endpoints(store.endpoint()).build()) {
            await(client.getKVClient().put(bytes(key), bytes("still here")));
            assertThat(values(await(client.getKVClient().get(bytes(key))).getKvs())).containsExactly("still here");
        }
    }

    @Test
    void randomBytes() throws IOException {
        byte[] garbage = new byte[256 * 1024];
        new Random(42).nextBytes(garbage);
        exchange(garbage);
    }

    @Test
    void http11GetOfAPathEtcdDoesNotServe() throws IOException {
        assertThat(exchange(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 404 ");
    }

    /** etcd's JSON gateway shares the client port with gRPC, as in etcd. */
    @Test
    void http11PostWithAnEtcdJsonGatewayBody() throws IOException {
        String body = "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}";
        assertThat(exchange(("POST /v3/kv/put HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 200 ").contains("\"revision\"");
    }

    @Test
    void http11RequestLineTooLong() throws IOException {
        assertThat(exchange(("GET /" + "a".repeat(64 * 1024) + " HTTP/1.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void http11BodyLargerThanARequestMayBe() throws IOException {
        assertThat(exchange(("POST /v3/kv/put HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                + (64L << 20) + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 413 ");
    }

    @Test
    void http2PrefaceFollowedByGarbageFrames() throws IOException {
        byte[] frames = new byte[64 * 1024];
        new Random(7).nextBytes(frames);
        byte[] payload = new byte[HTTP2_PREFACE.length + frames.length];
        System.arraycopy(HTTP2_PREFACE, 0, payload, 0, HTTP2_PREFACE.length);
        System.arraycopy(frames, 0, payload, HTTP2_PREFACE.length, frames.length);
        exchange(payload);
    }

    /** A frame header announcing a 16 MB HEADERS frame, then the connection drops. */
    @Test
    void http2HugeFrameHeaderThenHangUp() throws IOException {
        byte[] header = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x04, 0, 0, 0, 1};
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(HTTP2_PREFACE);
            out.write(new byte[] {0, 0, 0, 0x04, 0, 0, 0, 0, 0});
            out.write(header);
            out.flush();
        }
    }

    @Test
    void manyConnectionsOpenedAndAbandoned() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = connect();
                socket.getOutputStream().write(i % 2 == 0 ? HTTP2_PREFACE : new byte[] {(byte) i});
                sockets.add(socket);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        }
    }

    /**
     * Sends {@code payload}, reads whatever comes back until the server closes or goes quiet, and
     * returns it as ISO-8859-1 text.
     */
    private String exchange(byte[] payload) throws IOException {
        try (Socket socket = connect()) {
            try {
                socket.getOutputStream().write(payload);
                socket.getOutputStream().flush();
            } catch (IOException closedEarly) {
                // the server may hang up before reading everything: that is fine
            }
            return drain(socket);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(clientPort, READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    private static String drain(Socket socket) {
        var received = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (received.size() < 64 * 1024) {
                    received.write(buffer, 0, n);
                }
            }
        } catch (SocketTimeoutException quiet) {
            // the server keeps the connection open without answering
        } catch (IOException reset) {
            // the server reset the connection
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
