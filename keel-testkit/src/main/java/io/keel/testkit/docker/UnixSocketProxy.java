package io.keel.testkit.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Unix socket in front of another one (a Docker Engine's), for tests that take the engine away
 * from a client without stopping it: {@link #cut()} closes the listening socket and every relayed
 * connection, {@link #restore()} listens again on the same path.
 */
public final class UnixSocketProxy implements AutoCloseable {

    private final Path listen;
    private final Path target;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private ServerSocketChannel server;

    public UnixSocketProxy(Path listen, Path target) {
        this.listen = listen;
        this.target = target;
        restore();
    }

    /** {@code unix://<listen path>}. */
    public String dockerHost() {
        return "unix://" + listen;
    }

    public synchronized void restore() {
        if (server != null) {
            return;
        }
        try {
            Files.deleteIfExists(listen);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(listen));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerSocketChannel accepting = server;
        Thread.ofVirtual().name("proxy-accept").start(() -> accept(accepting));
    }

    public synchronized void cut() {
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        open.forEach(UnixSocketProxy::closeQuietly);
        open.clear();
        try {
            Files.deleteIfExists(listen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept(ServerSocketChannel accepting) {
        while (accepting.isOpen()) {
            try {
                SocketChannel client = accepting.accept();
                SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
