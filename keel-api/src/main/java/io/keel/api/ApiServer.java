package io.keel.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API every node serves: fleet's API v1 under {@code /fleet/v1/} (so fleet's own clients
 * work) and Keel's extensions under {@code /keel/v1/}.
 *
 * <pre>
 * GET    /fleet/v1/units[?nextPageToken=T]           UnitPage
 * GET    /fleet/v1/units/NAME                        Unit            404 unknown
 * PUT    /fleet/v1/units/NAME                        Unit -> 201 created, 204 updated; 400 bad input,
 *                                                    409 unknown unit without options, 415 not JSON
 * DELETE /fleet/v1/units/NAME                        204; 404 unknown
 * GET    /fleet/v1/state[?unitName=&amp;machineID=&amp;nextPageToken=]  UnitStatePage
 * GET    /fleet/v1/machines[?nextPageToken=T]        MachinePage
 * GET    /keel/v1/unschedulable                      why units that should run are on no machine
 * GET    /keel/v1/node                               the serving node's state
 * GET    /keel/v1/status/NAME[?machine=ID]           systemctl-style status from the machines holding it
 * GET    /keel/v1/journal/NAME[?lines=N&amp;follow=true&amp;machine=ID]  the unit's journal (streamed with follow)
 * GET    /metrics                                    Prometheus text
 * POST   /v1/pre-reboot, /v1/steady-state            FleetLock (mounted by the node, see keel-lifecycle)
 * </pre>
 *
 * Errors are fleet's {@code {"error":{"code":N,"message":"..."}}}; a store that cannot be reached
 * is a 503 whose message names it. Requests are served on virtual threads.
 */
public final class ApiServer implements AutoCloseable {

    public static final String LISTEN_DEFAULT = "127.0.0.1:7070";
    /** Largest request body accepted: a unit bigger than the store's request limit is refused anyway. */
    public static final int MAX_BODY_BYTES = 2 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpServer server;
    private final ExecutorService executor;
    private final FleetService fleet;
    private final Supplier<Schema.NodeStatus> status;
    private final Supplier<String> metrics;
    private final UnitPages unitPages;
    private final String serverHeader;

    private ApiServer(HttpServer server, ExecutorService executor, FleetService fleet,
            Supplier<Schema.NodeStatus> status, Supplier<String> metrics, UnitPages unitPages, String version) {
        this.server = server;
        this.unitPages = unitPages;
        this.executor = executor;
        this.fleet = fleet;
        this.status = status;
        this.metrics = metrics;
        this.serverHeader = "keel/" + version;
    }

    /**
     * Starts serving on {@code address} (port 0: any free port).
     *
     * @param status what {@code /keel/v1/node} reports
     * @throws IOException if the address cannot be bound
     */
    public static ApiServer start(InetSocketAddress address, Registry registry, Supplier<Schema.NodeStatus> status,
            String version) throws IOException {
        return start(address, registry, status, () -> "", version);
    }

    /**
     * Starts serving, with {@code metrics} (Prometheus text) on {@code /metrics}, for a node with no
     * agent.
     *
     * @throws IOException if the address cannot be bound
     */
    public static ApiServer start(InetSocketAddress address, Registry registry, Supplier<Schema.NodeStatus> status,
            Supplier<String> metrics, String version) throws IOException {
        return start(address, registry, status, metrics, "", LocalUnits.NONE, version);
    }

    /**
     * Starts serving for the node of machine {@code machineId}, whose agent answers for
     * {@code localUnits}, with {@code metrics} (Prometheus text) on {@code /metrics}.
     *
     * @throws IOException if the address cannot be bound
     */
    public static ApiServer start(InetSocketAddress address, Registry registry, Supplier<Schema.NodeStatus> status,
            Supplier<String> metrics, String machineId, LocalUnits localUnits, String version) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 128);
        } catch (java.net.BindException e) {
            throw new IOException("cannot serve the API on " + address.getHostString() + ":" + address.getPort()
                    + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        ApiServer api = new ApiServer(server, executor, new FleetService(registry), status, metrics,
                new UnitPages(registry, machineId, localUnits), version);
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    /** Serves {@code handler} under {@code prefix} as well (the longest matching prefix wins). */
    public void mount(String prefix, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(prefix, handler);
    }

    /** The address actually bound. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port}. */
    public String url() {
        return "http://" + address().getHostString() + ":" + address().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- routing

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Server", serverHeader);
            try {
                route(exchange);
            } catch (ApiException e) {
                sendError(exchange, e.status(), e.getMessage());
            } catch (RegistryException e) {
                LOG.warn("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage());
                sendError(exchange, 503, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                sendError(exchange, 500, "internal error: " + e);
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());

        if (path.equals("/fleet/v1/units") || path.equals("/fleet/v1/units/")) {
            requireMethod(method, 405, "only GET supported against this resource", "GET");
            send(exchange, 200, fleet.units(single(query, "nextPageToken")));
        } else if (path.startsWith("/fleet/v1/units/")) {
            String name = decode(path.substring("/fleet/v1/units/".length()));
            requireMethod(method, 405, "only GET, PUT and DELETE supported against this resource", "GET", "PUT", "DELETE");
            switch (method) {
                case "GET" -> send(exchange, 200, fleet.unit(name));
                case "DELETE" -> {
                    fleet.destroy(name);
                    sendEmpty(exchange, 204);
                }
                default -> {
                    Schema.Unit body = readUnit(exchange);
                    sendEmpty(exchange, fleet.setUnit(name, body) == FleetService.SetResult.CREATED ? 201 : 204);
                }
            }
        } else if (path.equals("/fleet/v1/state")) {
            requireMethod(method, 405, "only GET supported against this resource", "GET");
            send(exchange, 200, fleet.states(single(query, "nextPageToken"), single(query, "unitName"),
                    single(query, "machineID")));
        } else if (path.equals("/fleet/v1/machines")) {
            requireMethod(method, 400, "only HTTP GET supported against this resource", "GET");
            send(exchange, 200, fleet.machines(single(query, "nextPageToken")));
        } else if (path.equals("/fleet/v1") || path.equals("/fleet/v1/")) {
            sendError(exchange, 405, "");
        } else if (path.equals("/keel/v1/unschedulable")) {
            requireMethod(method, 405, "only GET supported against this resource", "GET");
            send(exchange, 200, fleet.unschedulable());
        } else if (path.equals("/keel/v1/node")) {
            requireMethod(method, 405, "only GET supported against this resource", "GET");
            send(exchange, 200, status.get());
        } else if (path.startsWith("/keel/v1/status/") || path.startsWith("/keel/v1/journal/")) {
            requireMethod(method, 405, "only GET supported against this resource", "GET");
            String name = decode(path.substring(path.indexOf('/', "/keel/v1/".length()) + 1));
            if (name.isEmpty() || name.contains("/")) {
                throw ApiException.badRequest("not a unit name: '" + name + "'");
            }
            if (path.startsWith("/keel/v1/status/")) {
                unitPages.status(exchange, name, query);
            } else {
                unitPages.journal(exchange, name, query);
            }
        } else if (path.equals("/metrics")) {
            byte[] text = metrics.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, text.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(text);
            }
        } else if (path.equals("/")) {
            sendError(exchange, 405, "");
        } else {
            sendError(exchange, 404, "");
        }
    }

    private static void requireMethod(String method, int status, String message, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new ApiException(status, message);
    }

    private static Schema.Unit readUnit(HttpExchange exchange) throws IOException {
        List<String> types = exchange.getRequestHeaders().getOrDefault("Content-Type", List.of());
        if (types.size() != 1) {
            throw new ApiException(415, "expected 1 Content-Type, got " + types.size());
        }
        if (!types.get(0).split(";", 2)[0].trim().equals("application/json")) {
            throw new ApiException(415, "only acceptable Content-Type is application/json");
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            return JSON.readValue(body, Schema.Unit.class);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw ApiException.badRequest("unable to decode body: " + String.valueOf(detail).lines().findFirst().orElse(""));
        }
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw ApiException.badRequest("too many values for " + name);
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed URL encoding in " + s);
        }
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendEmpty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    private static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, new Schema.Error(new Schema.ErrorEntity(status, message)));
    }
}
