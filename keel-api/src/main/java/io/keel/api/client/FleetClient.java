package io.keel.api.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.api.ApiException;
import io.keel.api.Schema;
import io.keel.cluster.unit.UnitOption;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A client of the API a node serves (fleet API v1 plus Keel's extensions). Every failure is an
 * {@link ApiException}: the server's status and message, or status 0 with a message naming the
 * endpoint when no answer came.
 */
public final class FleetClient {

    public static final String ENDPOINT_DEFAULT = "http://127.0.0.1:7070";
    public static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    public FleetClient(String endpoint, Duration timeout) {
        this.base = parse(endpoint);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** {@code http://host:port} or {@code host:port}; anything else is an IllegalArgumentException. */
    static URI parse(String endpoint) {
        String e = endpoint.trim();
        if (!e.contains("://")) {
            e = "http://" + e;
        }
        URI uri;
        try {
            uri = URI.create(e);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' is not a URL such as http://127.0.0.1:7070");
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' is not an http://host:port URL");
        }
        return URI.create("http://" + uri.getRawAuthority());
    }

    public String endpoint() {
        return base.toString();
    }

    // ---- units

    public List<Schema.Unit> units() {
        List<Schema.Unit> all = new ArrayList<>();
        String token = null;
        do {
            Schema.UnitPage page = get("/fleet/v1/units" + tokenQuery("?", token), Schema.UnitPage.class);
            if (page.units() != null) {
                all.addAll(page.units());
            }
            token = page.nextPageToken();
        } while (token != null && !token.isEmpty());
        return all;
    }

    /** The unit, or empty if the cluster has none by that name. */
    public Optional<Schema.Unit> unit(String name) {
        try {
            return Optional.of(get("/fleet/v1/units/" + path(name), Schema.Unit.class));
        } catch (ApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Creates a unit (desired state {@code inactive} if null). */
    public void createUnit(String name, List<UnitOption> options, String desiredState) {
        put(name, new Schema.Unit(name, options, desiredState, null, null));
    }

    /** Replaces an existing unit's file with a new version, keeping its desired state. */
    public void replaceUnit(String name, List<UnitOption> options) {
        put(name, new Schema.Unit(name, options, null, null, null));
    }

    public void setDesiredState(String name, String desiredState) {
        put(name, new Schema.Unit(name, null, desiredState, null, null));
    }

    /** Destroys a unit; false if there was none. */
    public boolean destroy(String name) {
        try {
            send(HttpRequest.newBuilder(uri("/fleet/v1/units/" + path(name))).DELETE(), null);
            return true;
        } catch (ApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    // ---- states and machines

    public List<Schema.UnitState> states() {
        List<Schema.UnitState> all = new ArrayList<>();
        String token = null;
        do {
            Schema.UnitStatePage page = get("/fleet/v1/state" + tokenQuery("?", token), Schema.UnitStatePage.class);
            if (page.states() != null) {
                all.addAll(page.states());
            }
            token = page.nextPageToken();
        } while (token != null && !token.isEmpty());
        return all;
    }

    public List<Schema.Machine> machines() {
        List<Schema.Machine> all = new ArrayList<>();
        String token = null;
        do {
            Schema.MachinePage page = get("/fleet/v1/machines" + tokenQuery("?", token), Schema.MachinePage.class);
            if (page.machines() != null) {
                all.addAll(page.machines());
            }
            token = page.nextPageToken();
        } while (token != null && !token.isEmpty());
        return all;
    }

    // ---- keel extensions

    /** Unit name to why it is on no machine. */
    public Map<String, String> unschedulable() {
        Map<String, String> reasons = new LinkedHashMap<>();
        Schema.UnschedulableList list = get("/keel/v1/unschedulable", Schema.UnschedulableList.class);
        if (list.units() != null) {
            list.units().forEach(u -> reasons.put(u.name(), u.reason()));
        }
        return reasons;
    }

    public Schema.NodeStatus node() {
        return get("/keel/v1/node", Schema.NodeStatus.class);
    }

    /** {@code /keel/v1/status/NAME}: the unit's status text. */
    public String status(String name) {
        return send(HttpRequest.newBuilder(uri("/keel/v1/status/" + path(name))).GET(), null);
    }

    /** {@code /keel/v1/journal/NAME?lines=N}: the unit's last journal lines. */
    public String journal(String name, int lines) {
        return send(HttpRequest.newBuilder(uri("/keel/v1/journal/" + path(name) + "?lines=" + lines)).GET(), null);
    }

    /**
     * {@code /keel/v1/journal/NAME?lines=N&follow=true}: prints the last lines, then every new one,
     * until the stream ends (the node stopped) or the thread is interrupted.
     */
    public void followJournal(String name, int lines, java.util.function.Consumer<String> onLine) {
        HttpResponse<java.util.stream.Stream<String>> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri("/keel/v1/journal/" + path(name) + "?lines=" + lines
                    + "&follow=true")).GET().build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new ApiException(0, "cannot reach the Keel API at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try (java.util.stream.Stream<String> body = response.body()) {
            if (response.statusCode() != 200) {
                String text = body.collect(java.util.stream.Collectors.joining("\n"));
                String message = text;
                try {
                    message = JSON.readValue(text, Schema.Error.class).error().message();
                } catch (IOException | RuntimeException ignored) {
                    // not fleet's error JSON: keep the text
                }
                throw new ApiException(response.statusCode(), message);
            }
            body.forEach(onLine);
        } catch (java.io.UncheckedIOException e) {
            throw new ApiException(0, "the journal stream from " + base + " broke: " + e.getCause().getMessage());
        }
    }

    // ---- plumbing

    private void put(String name, Schema.Unit body) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        send(HttpRequest.newBuilder(uri("/fleet/v1/units/" + path(name)))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json)), null);
    }

    private <T> T get(String path, Class<T> type) {
        String body = send(HttpRequest.newBuilder(uri(path)).GET(), type);
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new ApiException(0, "the Keel API at " + base + " sent an unreadable " + type.getSimpleName()
                    + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private String send(HttpRequest.Builder request, Class<?> expecting) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ApiException(0, "the Keel API at " + base + " did not answer within " + timeout.toSeconds() + "s");
        } catch (ConnectException e) {
            throw new ApiException(0, "cannot reach the Keel API at " + base + " (connection refused); is a node "
                    + "running there? (set --endpoint or KEEL_ENDPOINT)");
        } catch (IOException e) {
            throw new ApiException(0, "cannot reach the Keel API at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted while talking to " + base);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        String message = "";
        try {
            Schema.Error error = JSON.readValue(response.body(), Schema.Error.class);
            if (error.error() != null && error.error().message() != null) {
                message = error.error().message();
            }
        } catch (IOException ignored) {
            message = response.body().lines().findFirst().orElse("");
        }
        if (message.isEmpty()) {
            message = "HTTP " + status + " from " + base + response.request().uri().getPath();
        }
        throw new ApiException(status, message);
    }

    private URI uri(String path) {
        return base.resolve(path);
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@")
                .replace("%3A", ":");
    }

    private static String tokenQuery(String sep, String token) {
        return token == null || token.isEmpty() ? ""
                : sep + "nextPageToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
