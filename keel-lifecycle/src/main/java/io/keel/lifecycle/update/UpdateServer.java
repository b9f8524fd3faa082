package io.keel.lifecycle.update;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a release tree ({@code <root>/<channel>/manifest.json} and payloads) read-only over HTTP:
 * GET and HEAD of regular files only. Paths with {@code ..}, encoded separators or anything that
 * resolves outside the root (symbolic links included) are refused with 404, other methods with 405.
 */
public final class UpdateServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path root;

    private UpdateServer(HttpServer server, ExecutorService executor, Path root) {
        this.server = server;
        this.executor = executor;
        this.root = root;
    }

    /** Starts serving {@code root} on {@code address} (port 0 picks a free port). */
    public static UpdateServer start(InetSocketAddress address, Path root) {
        if (!Files.isDirectory(root)) {
            throw new UpdateException("update server directory " + root + " does not exist or is not a directory");
        }
        Path real;
        HttpServer server;
        try {
            real = root.toRealPath();
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        UpdateServer s = new UpdateServer(server, executor, real);
        server.createContext("/", s::handle);
        server.setExecutor(executor);
        server.start();
        return s;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port/} */
    public URI uri() {
        InetSocketAddress a = address();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(ex, 405, "method " + method + " not allowed: this server is read-only\n");
                return;
            }
            Path file = resolve(ex.getRequestURI());
            if (file == null) {
                reply(ex, 404, "not found\n");
                return;
            }
            long size = Files.size(file);
            ex.getResponseHeaders().set("Content-Type",
                    file.getFileName().toString().endsWith(".json") ? "application/json" : "application/octet-stream");
            if (method.equals("HEAD")) {
                ex.getResponseHeaders().set("Content-Length", Long.toString(size));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, size == 0 ? -1 : size);
            try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    private Path resolve(URI uri) throws IOException {
        String raw = uri.getRawPath();
        if (raw == null || raw.contains("%2f") || raw.contains("%2F") || raw.contains("%5c") || raw.contains("%5C")
                || raw.contains("\\")) {
            return null;
        }
        String path = uri.getPath();
        for (String seg : path.split("/")) {
            if (seg.equals("..") || seg.equals(".") || seg.indexOf('\0') >= 0) {
                return null;
            }
        }
        Path candidate = root.resolve(path.replaceFirst("^/+", "")).normalize();
        if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
            return null;
        }
        Path real = candidate.toRealPath();
        return real.startsWith(root) ? real : null;
    }

    private static void reply(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
    }
}
