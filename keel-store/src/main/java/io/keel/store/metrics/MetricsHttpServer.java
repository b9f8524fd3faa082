package io.keel.store.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import io.keel.store.http.HealthCheck;
import java.util.function.Supplier;

/** etcd's {@code --listen-metrics-urls} endpoint: {@code /metrics} and {@code /health}. */
public final class MetricsHttpServer implements AutoCloseable {
  private final HttpServer server;

  public MetricsHttpServer(InetSocketAddress address, Supplier<String> metrics,
      HealthCheck health) throws IOException {
    server = HttpServer.create(address, 16);
    server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4",
        metrics.get()));
    server.createContext("/health", ex -> {
      boolean ok = health.check().join();
      reply(ex, ok ? 200 : 503, "application/json", HealthCheck.body(ok));
    });
    server.start();
  }

  private static void reply(HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
