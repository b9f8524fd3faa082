package io.keel.cli.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** HTTP/1.1 requests to a store's client port: etcd's JSON gateway and plain endpoints. */
public final class GatewayHttp {
    static final Duration LINE_TIMEOUT = Duration.ofSeconds(20);

    /** A whole answer. */
    public record Answer(int status, String body) {}

    private final String endpoint;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public GatewayHttp(String endpoint) {
        this.endpoint = endpoint;
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(endpoint + path)).GET().timeout(LINE_TIMEOUT).build());
    }

    public Answer post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(endpoint + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(LINE_TIMEOUT).build());
    }

    /** A POST carrying an {@code Authorization} header, as a gateway client sends its token. */
    public Answer post(String path, String body, String authorization) {
        return send(HttpRequest.newBuilder(URI.create(endpoint + path)).header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(LINE_TIMEOUT).build());
    }

    /** A streamed answer read line by line; closing it hangs up. */
    Lines stream(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Lines lines = new Lines();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).whenComplete((response, error) -> {
            if (error != null) {
                lines.body.completeExceptionally(error);
                return;
            }
            lines.body.complete(response.body());
            CompletableFuture.runAsync(() -> {
                response.body().forEach(lines.queue::add);
                lines.queue.add(Lines.END);
            });
        });
        return lines;
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lines of a streamed answer as they arrive. */
    static final class Lines implements AutoCloseable {
        static final String END = "\0end of stream";
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final CompletableFuture<Stream<String>> body = new CompletableFuture<>();

        /** The next line; {@link #END} once the server ended the answer. Fails after a deadline. */
        String next() {
            try {
                String line = queue.poll(LINE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    throw new AssertionError("no line of the streamed answer within " + LINE_TIMEOUT
                            + (body.isCompletedExceptionally() ? " (" + body.exceptionNow() + ")" : ""));
                }
                return line;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try {
                body.get(LINE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).close();
            } catch (Exception failedOrNeverAnswered) {
                // nothing to hang up
            }
        }
    }
}
