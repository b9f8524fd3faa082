package io.keel.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Etcdctl;
import io.keel.testkit.StoreProcess;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's client-port gRPC flags, written once and bound to the Keel store and to real etcd 3.4:
 * {@code --metrics extensive} times every call in {@code grpc_server_handling_seconds} (and {@code
 * basic}, the default, does not); {@code --grpc-keepalive-interval} and {@code
 * --grpc-keepalive-timeout} make the server ping a quiet connection (the default, two hours, does
 * not within seconds; 10 s, as gRPC for Java pings no more often); a client that pings more often than {@code --grpc-keepalive-min-time} is
 * sent away with HTTP/2's ENHANCE_YOUR_CALM and "too_many_pings". Pings and GOAWAY are read off
 * the wire, as HTTP/2 frames on a plain socket.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class GrpcFlagsScenario {
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int ACK = 0x1;
    private static final int ENHANCE_YOUR_CALM = 0xb;

    @TempDir
    Path work;

    /** Starts a single member with {@code flags} after the standard ones, serving once it returns. */
    protected abstract StoreProcess start(Path workDir, String... flags);

    @Test
    void extensiveMetricsTimeEveryCallAndListUncalledMethodsAtZero() throws Exception {
        try (StoreProcess server = start(work, "--metrics", "extensive")) {
            assertThat(new Etcdctl(server.endpoint()).run("put", "timed", "v").stdout()).contains("OK");

            String metrics = scrape(server);
            String put = "grpc_method=\"Put\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"";
            assertThat(metrics).contains("grpc_server_handling_seconds_bucket{" + put + ",le=\"0.005\"}")
                    .contains("grpc_server_handling_seconds_bucket{" + put + ",le=\"10\"}");
            assertThat(sample(metrics, "grpc_server_handling_seconds_count{" + put + "}")).hasValue(1.0);
            assertThat(sample(metrics, "grpc_server_handling_seconds_count{grpc_method=\"Compact\","
                    + "grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"}")).hasValue(0.0);
        }
    }

    @Test
    void basicMetricsDoNotTimeCalls() throws Exception {
        try (StoreProcess server = start(work)) {
            assertThat(new Etcdctl(server.endpoint()).run("put", "untimed", "v").stdout()).contains("OK");

            assertThat(scrape(server)).contains("grpc_server_handled_total")
                    .doesNotContain("grpc_server_handling_seconds");
        }
    }

    @Test
    void theServerPingsAQuietConnectionAtTheKeepaliveInterval() throws Exception {
        try (StoreProcess pinging = start(work.resolve("pinging"), "--grpc-keepalive-interval", "10s",
                "--grpc-keepalive-timeout", "5s");
                StoreProcess quiet = start(work.resolve("quiet"))) {
            assertThat(firstFrameOfType(pinging, PING, Duration.ofSeconds(14), false))
                    .as("a PING from the server within 14 s of a quiet connection").isPresent();
            assertThat(firstFrameOfType(quiet, PING, Duration.ofSeconds(3), false))
                    .as("a PING from a server with the default two-hour interval").isEmpty();
        }
    }

    @Test
    void aClientThatPingsTooOftenIsSentAway() throws Exception {
        try (StoreProcess server = start(work)) {
            Optional<byte[]> goAway = firstFrameOfType(server, GOAWAY, Duration.ofSeconds(10), true);

            assertThat(goAway).as("a GOAWAY while the client pings every 50 ms").isPresent();
            byte[] payload = goAway.get();
            int errorCode = ((payload[4] & 0xff) << 24) | ((payload[5] & 0xff) << 16) | ((payload[6] & 0xff) << 8)
                    | (payload[7] & 0xff);
            assertThat(errorCode).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(new String(payload, 8, payload.length - 8, StandardCharsets.US_ASCII)).isEqualTo("too_many_pings");
        }
    }

    private static String scrape(StoreProcess server) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/metrics"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of the sample {@code series} (name and labels as written), if it is there. */
    private static Optional<Double> sample(String metrics, String series) {
        var line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return line.find() ? Optional.of(Double.parseDouble(line.group(1))) : Optional.empty();
    }

    /**
     * Opens an HTTP/2 connection to the server's client port with no stream on it and returns the
     * payload of the first frame of {@code type} the server sends within {@code within}; with {@code
     * pingOften} the client sends a PING every 50 ms meanwhile.
     */
    private static Optional<byte[]> firstFrameOfType(StoreProcess server, int type, Duration within,
            boolean pingOften) throws IOException {
        URI uri = URI.create(server.endpoint());
        long deadline = System.nanoTime() + within.toNanos();
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            writeFrame(out, SETTINGS, 0, new byte[0]);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            long nextPing = System.nanoTime();
            while (System.nanoTime() < deadline) {
                if (pingOften && System.nanoTime() >= nextPing) {
                    writeFrame(out, PING, 0, new byte[8]);
                    nextPing = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                }
                socket.setSoTimeout(50);
                int[] header = new int[9];
                try {
                    header[0] = in.readUnsignedByte();
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (java.io.EOFException e) {
                    return Optional.empty();
                }
                socket.setSoTimeout(5_000);
                for (int i = 1; i < 9; i++) {
                    header[i] = in.readUnsignedByte();
                }
                int length = (header[0] << 16) | (header[1] << 8) | header[2];
                byte[] payload = new byte[length];
                in.readFully(payload);
                int frameType = header[3];
                int flags = header[4];
                if (frameType == SETTINGS && (flags & ACK) == 0) {
                    writeFrame(out, SETTINGS, ACK, new byte[0]);
                }
                if (frameType == type && (frameType != PING || (flags & ACK) == 0)) {
                    return Optional.of(payload);
                }
            }
            return Optional.empty();
        }
    }

    private static void writeFrame(OutputStream out, int type, int flags, byte[] payload) throws IOException {
        byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        System.arraycopy(payload, 0, frame, 9, payload.length);
        out.write(frame);
        out.flush();
    }
}
