package io.keel.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network between the members of a {@link StoreCluster}: a TCP proxy in front of each
 * member's peer port, and one in front of its client port. Members advertise the proxies' ports
 * ({@code --initial-advertise-peer-urls}, {@code --initial-cluster},
 * {@code --advertise-client-urls}) and listen on the real ones, so all traffic between members
 * passes here and can be cut per link, also a member's call to another's advertised client URL,
 * which {@link Stats#memberToClientPort()} counts (etcd's members make none, nor Keel's).
 *
 * <p>Links are directed: {@code (from, to)} is the traffic that {@code from} sends by connecting
 * to {@code to}. A blocked link refuses new connections (reset right after accept) and drops the
 * open ones. The proxy learns which member opened a connection from the kernel: the client end
 * of a loopback connection is a socket in {@code /proc/net/tcp*} whose inode one member process
 * holds open. On a peer port, a connection from no known member is refused while any link into
 * its target is blocked; on a client port it is let through (it is a client, not a member).
 *
 * <p>All proxies listen on 127.0.0.1. Thread-safe.
 */
public final class StoreClusterNetwork implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreClusterNetwork.class);
    private static final int IDENTIFY_ATTEMPTS = 20;

    /** A directed link: traffic {@code from} opens towards {@code to}. */
    public record Link(String from, String to) {
        @Override
        public String toString() {
            return from + "->" + to;
        }
    }

    /**
     * Connection counts since the network was created.
     *
     * @param unidentified peer connections whose source member could not be determined
     * @param memberToClientPort connections a member opened to another member's client port
     */
    public record Stats(long accepted, long refused, long dropped, long unidentified, long memberToClientPort) {}

    private final Map<String, Proxy> proxies = new LinkedHashMap<>();
    private final Map<String, Proxy> clientProxies = new LinkedHashMap<>();
    private final Map<String, LongSupplier> pids = new ConcurrentHashMap<>();
    private final Set<Link> blocked = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unidentified = new AtomicLong();
    private final AtomicLong memberToClientPort = new AtomicLong();

    /**
     * Starts one peer proxy per member on a free port, forwarding to {@code realPeerPorts}.
     *
     * @param realPeerPorts member name to the port the member itself listens on for peers
     */
    public static StoreClusterNetwork start(Map<String, Integer> realPeerPorts) {
        return start(realPeerPorts, Map.of());
    }

    /**
     * Starts a peer proxy per member, and a client proxy for each member in
     * {@code realClientPorts}.
     */
    public static StoreClusterNetwork start(Map<String, Integer> realPeerPorts, Map<String, Integer> realClientPorts) {
        StoreClusterNetwork network = new StoreClusterNetwork();
        try {
            realPeerPorts.forEach((name, port) -> network.proxies.put(name, network.new Proxy(name, port, true)));
            realClientPorts.forEach((name, port) -> {
                network.requireMember(name);
                network.clientProxies.put(name, network.new Proxy(name, port, false));
            });
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    private StoreClusterNetwork() {}

    /** Tells the proxies which OS process is member {@code name} (read at every new connection). */
    public void identify(String name, LongSupplier pid) {
        requireMember(name);
        pids.put(name, pid);
    }

    /** The port other members reach {@code name}'s peer port on (the proxy's). */
    public int advertisedPort(String name) {
        return requireMember(name).listenPort();
    }

    /** The port other members reach {@code name}'s client port on (the proxy's). */
    public int advertisedClientPort(String name) {
        requireMember(name);
        Proxy proxy = clientProxies.get(name);
        if (proxy == null) {
            throw new IllegalArgumentException("member '" + name + "' has no client proxy");
        }
        return proxy.listenPort();
    }

    public Set<String> members() {
        return proxies.keySet();
    }

    /** Blocks the one direction {@code from -> to}. */
    public void block(String from, String to) {
        Link link = new Link(requireMemberName(from), requireMemberName(to));
        if (from.equals(to)) {
            throw new IllegalArgumentException("a member has no link to itself");
        }
        blocked.add(link);
        proxies.get(to).drop(from);
        Proxy client = clientProxies.get(to);
        if (client != null) {
            client.drop(from);
        }
    }

    /** Cuts both directions between {@code a} and {@code b}. */
    public void cut(String a, String b) {
        block(a, b);
        block(b, a);
    }

    /** Cuts every link between {@code side} and the other members. */
    public void partition(Collection<String> side) {
        for (String inside : side) {
            for (String outside : proxies.keySet()) {
                if (!side.contains(outside)) {
                    cut(inside, outside);
                }
            }
        }
    }

    /** Cuts {@code name} off from every other member. */
    public void isolate(String name) {
        partition(List.of(name));
    }

    public void heal(String a, String b) {
        blocked.remove(new Link(a, b));
        blocked.remove(new Link(b, a));
    }

    public void healAll() {
        blocked.clear();
    }

    public Set<Link> blockedLinks() {
        return Set.copyOf(blocked);
    }

    public boolean isBlocked(String from, String to) {
        return blocked.contains(new Link(from, to));
    }

    public Stats stats() {
        return new Stats(accepted.get(), refused.get(), dropped.get(), unidentified.get(), memberToClientPort.get());
    }

    @Override
    public void close() {
        proxies.values().forEach(Proxy::close);
        clientProxies.values().forEach(Proxy::close);
    }

    private Proxy requireMember(String name) {
        Proxy proxy = proxies.get(name);
        if (proxy == null) {
            throw new IllegalArgumentException("no member named '" + name + "' (members: " + proxies.keySet() + ")");
        }
        return proxy;
    }

    private String requireMemberName(String name) {
        requireMember(name);
        return name;
    }

    private boolean allowed(Optional<String> from, String to, boolean refuseUnidentified) {
        if (from.isPresent()) {
            return !blocked.contains(new Link(from.get(), to));
        }
        return !refuseUnidentified || blocked.stream().noneMatch(link -> link.to().equals(to));
    }

    /** Which member holds the client end of the loopback connection from {@code clientPort} to {@code serverPort}. */
    private Optional<String> sourceOf(int clientPort, int serverPort) {
        for (int attempt = 0; attempt < IDENTIFY_ATTEMPTS; attempt++) {
            Optional<Long> inode = SocketTable.clientInode(clientPort, serverPort);
            if (inode.isPresent()) {
                String wanted = "socket:[" + inode.get() + "]";
                for (Map.Entry<String, LongSupplier> e : pids.entrySet()) {
                    long pid = e.getValue().getAsLong();
                    if (pid > 0 && SocketTable.holds(pid, wanted)) {
                        return Optional.of(e.getKey());
                    }
                }
                return Optional.empty();
            }
            Thread.onSpinWait();
        }
        return Optional.empty();
    }

    /** One member's proxy: accepts on its own port, forwards to one of the member's real ports. */
    private final class Proxy {
        private final String target;
        private final int targetPort;
        private final boolean peer;
        private final ServerSocket server;
        private final Set<Connection> open = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Proxy(String target, int targetPort, boolean peer) {
            this.target = target;
            this.targetPort = targetPort;
            this.peer = peer;
            try {
                server = new ServerSocket();
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.next()), 128);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the " + kind() + " proxy for " + target, e);
            }
            Thread.ofPlatform().daemon().name(kind() + "-proxy-" + target).start(this::acceptLoop);
        }

        private String kind() {
            return peer ? "peer" : "client";
        }

        int listenPort() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!closed) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    if (!closed) {
                        log.warn("{} proxy for {} stopped accepting: {}", kind(), target, e.toString());
                    }
                    return;
                }
                Thread.ofVirtual().name(kind() + "-proxy-conn-" + target).start(() -> admit(client));
            }
        }

        private void admit(Socket client) {
            Optional<String> from = sourceOf(client.getPort(), listenPort());
            if (from.isEmpty() && peer) {
                unidentified.incrementAndGet();
            }
            if (from.isPresent() && !peer) {
                memberToClientPort.incrementAndGet();
            }
            if (!allowed(from, target, peer)) {
                refused.incrementAndGet();
                reset(client);
                return;
            }
            Socket upstream;
            try {
                upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
            } catch (IOException e) {
                reset(client);
                return;
            }
            accepted.incrementAndGet();
            Connection connection = new Connection(from.orElse(null), client, upstream);
            open.add(connection);
            if (!allowed(from, target, peer)) {
                connection.reset();
                return;
            }
            Thread.ofVirtual().name(kind() + "-proxy-up-" + target).start(() -> pump(connection, client, upstream));
            Thread.ofVirtual().name(kind() + "-proxy-down-" + target).start(() -> pump(connection, upstream, client));
        }

        private void pump(Connection connection, Socket from, Socket to) {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
                to.shutdownOutput();
                connection.halfDone(open);
            } catch (IOException e) {
                connection.reset();
                open.remove(connection);
            }
        }

        /** Drops the open connections that {@code from} made to this member. */
        void drop(String from) {
            for (Connection connection : open) {
                if ((connection.from == null && peer) || from.equals(connection.from)) {
                    dropped.incrementAndGet();
                    connection.reset();
                    open.remove(connection);
                }
            }
        }

        void close() {
            closed = true;
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            open.forEach(Connection::reset);
            open.clear();
        }
    }

    private static final class Connection {
        final String from;
        final Socket client;
        final Socket upstream;
        private final java.util.concurrent.atomic.AtomicInteger directionsDone =
                new java.util.concurrent.atomic.AtomicInteger();

        Connection(String from, Socket client, Socket upstream) {
            this.from = from;
            this.client = client;
            this.upstream = upstream;
        }

        /** One direction reached end of stream; after both, the connection is closed. */
        void halfDone(Set<Connection> open) {
            if (directionsDone.incrementAndGet() == 2) {
                closeQuietly(client);
                closeQuietly(upstream);
                open.remove(this);
            }
        }

        void reset() {
            StoreClusterNetwork.reset(client);
            StoreClusterNetwork.reset(upstream);
        }
    }

    /** Closes with an RST rather than a FIN, as a dropped link would look to the peer. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Reads the kernel's TCP socket tables and a process's open file descriptors. */
    static final class SocketTable {
        private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

        private SocketTable() {}

        /** The inode of the socket whose local port is {@code localPort} and remote port {@code remotePort}. */
        static Optional<Long> clientInode(int localPort, int remotePort) {
            String local = ":" + hexPort(localPort);
            String remote = ":" + hexPort(remotePort);
            for (Path table : TABLES) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(table);
                } catch (IOException e) {
                    continue;
                }
                for (String line : lines) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                        return Optional.of(Long.parseLong(f[9]));
                    }
                }
            }
            return Optional.empty();
        }

        /** Whether process {@code pid} has a descriptor that links to {@code target}. */
        static boolean holds(long pid, String target) {
            Path fds = Path.of("/proc", Long.toString(pid), "fd");
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(fds)) {
                for (Path fd : stream) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().equals(target)) {
                            return true;
                        }
                    } catch (IOException ignored) {
                        // the descriptor was closed while we looked
                    }
                }
            } catch (IOException e) {
                return false;
            }
            return false;
        }

        private static String hexPort(int port) {
            return String.format(Locale.ROOT, "%04X", port);
        }
    }

    /** The names of the members; for messages. */
    @Override
    public String toString() {
        Set<String> names = new HashSet<>(proxies.keySet());
        return "StoreClusterNetwork" + names + " blocked " + new ArrayList<>(blocked);
    }
}
