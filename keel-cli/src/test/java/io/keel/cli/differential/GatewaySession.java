package io.keel.cli.differential;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A session of HTTP requests to etcd's client port ({@code /health}, {@code /version} and the
 * JSON gateway under {@code /v3/}), replayed against one server with its answers normalized:
 * status and body, with ids, terms, sizes, indexes, the server's version, URLs and positive
 * TTLs replaced, since those legitimately differ between two servers.
 *
 * <p>One case per line: {@code METHOD PATH [BODY]}. {@code ${leaseN}} is the id of the N-th
 * lease granted in the session. {@code @stream N METHOD PATH BODY} reads a streamed answer's
 * first N lines and hangs up. Blank lines and {@code #} comments are skipped.
 */
public final class GatewaySession {
    /** One request of the session, and where it is written. */
    public record Case(int line, String source) {}

    /** What one case answered on one server, normalized. */
    public record Answer(Case sessionCase, String output) {}

    private static final Duration STREAM_LIMIT = Duration.ofSeconds(10);
    private static final Pattern CASE = Pattern.compile("(?:@stream (\\d+) )?([A-Z]+) (\\S+)(?: (.*))?");
    private static final Pattern LEASE_REF = Pattern.compile("\\$\\{lease(\\d+)}");
    private static final Pattern GRANTED_ID = Pattern.compile("\"ID\":\"(\\d+)\"");
    private static final Pattern VARYING = Pattern.compile("\"(cluster_id|member_id|raft_term|raftTerm|raftIndex"
            + "|raftAppliedIndex|dbSize|dbSizeInUse|leader|ID|lease|hash|etcdserver)\":\"?[0-9.]+\"?");
    private static final Pattern VERSION = Pattern.compile("\"version\":\"3\\.4\\.\\d+\"");
    private static final Pattern POSITIVE_TTL = Pattern.compile("\"TTL\":\"[1-9]\\d*\"");
    private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:\\d+");
    private static final Pattern SESSION_KEY = Pattern.compile("\"key\":\"([A-Za-z0-9+/]+=*)\"");

    private final String endpoint;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> leases = new ArrayList<>();

    public GatewaySession(String endpoint) {
        this.endpoint = endpoint;
    }

    public static List<Case> load(String resource) {
        try (InputStream in = GatewaySession.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no session resource " + resource);
            }
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    if (!CASE.matcher(line).matches()) {
                        throw new IllegalArgumentException(resource + " line " + (i + 1) + ": not a case: " + line);
                    }
                    cases.add(new Case(i + 1, line));
                }
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Answer> run(List<Case> cases) {
        return cases.stream().map(c -> new Answer(c, normalize(sessionKeys(send(c))))).toList();
    }

    /**
     * Lock and election keys ({@code name/<lease in hex>}, base64 on the wire) with the lease
     * named by its place in the session, since lease ids differ between servers.
     */
    private String sessionKeys(String output) {
        return SESSION_KEY.matcher(output).replaceAll(m -> {
            String decoded = new String(java.util.Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
            int slash = decoded.lastIndexOf('/');
            for (int i = 0; slash >= 0 && i < leases.size(); i++) {
                if (decoded.substring(slash + 1).equals(Long.toHexString(Long.parseLong(leases.get(i))))) {
                    return Matcher.quoteReplacement("\"key\":\"" + decoded.substring(0, slash) + "/<lease" + (i + 1) + ">\"");
                }
            }
            return Matcher.quoteReplacement(m.group());
        });
    }

    /** One message per case whose answers differ, naming the request and both answers. */
    public static List<String> differences(String leftName, List<Answer> left, String rightName, List<Answer> right) {
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < left.size(); i++) {
            if (!left.get(i).output().equals(right.get(i).output())) {
                differences.add("line " + left.get(i).sessionCase().line() + ": " + left.get(i).sessionCase().source()
                        + "\n  " + leftName + ": " + left.get(i).output() + "\n  " + rightName + ": "
                        + right.get(i).output());
            }
        }
        return differences;
    }

    private String send(Case c) {
        Matcher m = CASE.matcher(c.source());
        if (!m.matches()) {
            throw new IllegalStateException("not a case: " + c.source());
        }
        String body = m.group(4) == null ? "" : resolveLeases(m.group(4));
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + m.group(3)))
                .method(m.group(2), body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .timeout(STREAM_LIMIT).build();
        try {
            if (m.group(1) != null) {
                return stream(request, Integer.parseInt(m.group(1)));
            }
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (m.group(3).endsWith("/lease/grant")) {
                Matcher id = GRANTED_ID.matcher(response.body());
                if (id.find()) {
                    leases.add(id.group(1));
                }
            }
            return response.statusCode() + " " + response.body().strip();
        } catch (IOException e) {
            return "failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code lines} lines of a streamed answer, or what came before the limit. */
    private String stream(HttpRequest request, int lines) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        List<String> read = new ArrayList<>();
        try (Stream<String> body = response.body()) {
            var iterator = body.iterator();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                while (read.size() < lines && iterator.hasNext()) {
                    String line = iterator.next();
                    synchronized (read) {
                        read.add(line);
                    }
                }
            });
            try {
                reading.get(STREAM_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                synchronized (read) {
                    read.add("(stream: " + e.getClass().getSimpleName() + " after " + read.size() + " lines)");
                }
            }
        }
        synchronized (read) {
            return response.statusCode() + " " + String.join("\n", read);
        }
    }

    private String resolveLeases(String body) {
        return LEASE_REF.matcher(body).replaceAll(r -> {
            int n = Integer.parseInt(r.group(1));
            if (n < 1 || n > leases.size()) {
                throw new IllegalStateException("${lease" + n + "} used before lease " + n + " was granted");
            }
            return leases.get(n - 1);
        });
    }

    static String normalize(String output) {
        String s = VARYING.matcher(output).replaceAll(r -> Matcher.quoteReplacement("\"" + r.group(1) + "\":<n>"));
        s = VERSION.matcher(s).replaceAll("\"version\":\"3.4.x\"");
        s = POSITIVE_TTL.matcher(s).replaceAll("\"TTL\":<ttl>");
        return URL.matcher(s).replaceAll("<url>");
    }
}
