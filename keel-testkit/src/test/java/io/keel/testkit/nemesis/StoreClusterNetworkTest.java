package io.keel.testkit.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.Await;
import io.keel.testkit.StoreClusterNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxies on plain sockets: "b" is an echo server in this JVM, and connections from this JVM
 * are attributed to member "a" (whose pid is this JVM's).
 */
class StoreClusterNetworkTest {

    private ServerSocket echo;
    private StoreClusterNetwork network;
    private final BlockingQueue<Socket> serverSide = new LinkedBlockingQueue<>();

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    serverSide.add(s);
                    Thread.ofVirtual().start(() -> echoLoop(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        ServerSocket unusedA = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int portA = unusedA.getLocalPort();
        unusedA.close();
        network = StoreClusterNetwork.start(Map.of("a", portA, "b", echo.getLocalPort()),
                Map.of("b", echo.getLocalPort()));
        network.identify("a", () -> ProcessHandle.current().pid());
        network.identify("b", () -> -1);
    }

    @AfterEach
    void stop() throws IOException {
        network.close();
        echo.close();
    }

    private static void echoLoop(Socket s) {
        try (s) {
            s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException ignored) {
            // reset by the proxy
        }
    }

    private Socket connectToB() throws IOException {
        return connect(network.advertisedPort("b"));
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes());
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buffer = in.readNBytes(text.length());
        return new String(buffer);
    }

    /** True if the socket turns out to be closed or reset by the other side. */
    private static boolean isCut(Socket socket) {
        try {
            socket.getOutputStream().write('x');
            socket.getOutputStream().flush();
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void forwardsBytesBothWaysAndAttributesTheConnection() throws IOException {
        try (Socket socket = connectToB()) {
            assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
        }
        assertThat(network.stats().accepted()).isEqualTo(1);
        assertThat(network.stats().unidentified()).isZero();
        assertThat(network.stats().memberToClientPort()).isZero();
    }

    @Test
    void blockingALinkDropsOpenConnectionsAndRefusesNewOnes() throws IOException {
        Socket before = connectToB();
        assertThat(roundTrip(before, "ping")).isEqualTo("ping");

        network.block("a", "b");

        assertThat(isCut(before)).isTrue();
        try (Socket during = connectToB()) {
            assertThat(isCut(during)).isTrue();
        }
        assertThat(network.stats().refused()).isEqualTo(1);
        assertThat(network.stats().dropped()).isEqualTo(1);
        assertThat(network.blockedLinks()).containsExactly(new StoreClusterNetwork.Link("a", "b"));

        network.healAll();
        try (Socket after = connectToB()) {
            assertThat(roundTrip(after, "pong")).isEqualTo("pong");
        }
        before.close();
    }

    @Test
    void blockingTheOtherDirectionLeavesThisOneOpen() throws IOException {
        network.block("b", "a");
        try (Socket socket = connectToB()) {
            assertThat(roundTrip(socket, "still")).isEqualTo("still");
        }
    }

    @Test
    void isolatingTheTargetRefusesEveryone() throws IOException {
        network.isolate("b");
        assertThat(network.blockedLinks()).containsExactlyInAnyOrder(
                new StoreClusterNetwork.Link("a", "b"), new StoreClusterNetwork.Link("b", "a"));
        try (Socket socket = connectToB()) {
            assertThat(isCut(socket)).isTrue();
        }
        network.heal("a", "b");
        try (Socket socket = connectToB()) {
            assertThat(roundTrip(socket, "back")).isEqualTo("back");
        }
        Await.until(Duration.ofSeconds(5), "the echo server saw the connections", () -> serverSide.size() >= 1);
    }

    @Test
    void aMemberCallingAnotherOnItsClientPortIsCutToo() throws IOException {
        try (Socket socket = connect(network.advertisedClientPort("b"))) {
            assertThat(roundTrip(socket, "forward")).isEqualTo("forward");
        }
        assertThat(network.stats().memberToClientPort()).isEqualTo(1);
        network.block("a", "b");
        try (Socket socket = connect(network.advertisedClientPort("b"))) {
            assertThat(isCut(socket)).isTrue();
        }
    }

    @Test
    void unknownProcessesAreRefusedOnPeerPortsDuringAPartitionButNotOnClientPorts() throws IOException {
        network.identify("a", () -> -1);
        network.isolate("b");
        try (Socket peer = connectToB(); Socket client = connect(network.advertisedClientPort("b"))) {
            assertThat(isCut(peer)).isTrue();
            assertThat(roundTrip(client, "client")).isEqualTo("client");
        }
        assertThat(network.stats().unidentified()).isEqualTo(1);
    }
}
