package io.keel.lifecycle.locksmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.keel.cluster.node.MachineId;
import io.keel.cluster.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FleetLock protocol (as served by airlock, used by Zincati) on the reboot semaphores:
 * {@code POST /v1/pre-reboot} takes a slot for {@code client_params.id} in
 * {@code client_params.group}'s semaphore, {@code POST /v1/steady-state} releases it. Both are
 * idempotent. Requests need the header {@code fleet-lock-protocol: true}. The group
 * {@code default} is locksmith's global semaphore; others are locksmith groups.
 *
 * <p>Success is 200 with {@code {}}; errors are {@code {"kind","value"}} with a 4xx/5xx status,
 * and nothing is changed by a refused request. Mount it at {@code /v1/}.
 */
public final class FleetLockHandler implements HttpHandler {

    public static final String PRE_REBOOT = "/v1/pre-reboot";
    public static final String STEADY_STATE = "/v1/steady-state";
    public static final String HEADER = "fleet-lock-protocol";
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(FleetLockHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, ? extends LockService> lockAtKey;

    /** {@code lockAtKey} gives the semaphore stored at a key ({@link LockKeys}). */
    public FleetLockHandler(Function<String, ? extends LockService> lockAtKey) {
        this.lockAtKey = lockAtKey;
    }

    /** A handler on the registry's store. */
    public static FleetLockHandler on(Registry registry) {
        return new FleetLockHandler(key -> RebootLock.on(registry, key));
    }

    /** A refusal: the HTTP status and FleetLock's error kind. */
    static final class Refusal extends Exception {
        final int status;
        final String kind;

        Refusal(int status, String kind, String value) {
            super(value, null, false, false);
            this.status = status;
            this.kind = kind;
        }
    }

    /** A request's client parameters. */
    record ClientParams(String id, String group) {}

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                String path = exchange.getRequestURI().getPath();
                boolean preReboot = PRE_REBOOT.equals(path);
                if (!preReboot && !STEADY_STATE.equals(path)) {
                    throw new Refusal(404, "not_found", "no FleetLock endpoint at " + path
                            + "; use POST " + PRE_REBOOT + " or POST " + STEADY_STATE);
                }
                if (!"POST".equals(exchange.getRequestMethod())) {
                    exchange.getResponseHeaders().set("Allow", "POST");
                    throw new Refusal(405, "method_not_allowed", exchange.getRequestMethod() + " " + path
                            + " is not allowed; FleetLock requests are POST");
                }
                String header = exchange.getRequestHeaders().getFirst(HEADER);
                if (header == null || !"true".equalsIgnoreCase(header.trim())) {
                    throw new Refusal(400, "missing_fleet_lock_header", "header '" + HEADER
                            + ": true' is " + (header == null ? "missing" : "'" + header + "'"));
                }
                ClientParams params = parse(exchange.getRequestBody());
                String key = LockKeys.forFleetLockGroup(params.group());
                LockService lock = lockAtKey.apply(key);
                if (preReboot) {
                    preReboot(lock, params);
                } else {
                    steadyState(lock, params);
                }
                send(exchange, 200, JSON.createObjectNode());
            } catch (Refusal r) {
                ObjectNode error = JSON.createObjectNode().put("kind", r.kind).put("value", r.getMessage());
                send(exchange, r.status, error);
            }
        }
    }

    private static void preReboot(LockService lock, ClientParams params) throws Refusal {
        try {
            LockService.Locked locked = lock.lock(params.id());
            if (locked == LockService.Locked.ACQUIRED) {
                LOG.info("FleetLock: {} took the reboot lock (group {})", params.id(), params.group());
            }
        } catch (LockHeldException e) {
            throw new Refusal(409, "failed_lock", e.getMessage());
        } catch (BadSemaphoreException e) {
            throw new Refusal(500, "failed_lock", e.getMessage());
        } catch (RuntimeException e) {
            throw new Refusal(503, "failed_lock", String.valueOf(e.getMessage()));
        }
    }

    private static void steadyState(LockService lock, ClientParams params) throws Refusal {
        try {
            if (lock.unlock(params.id()) == LockService.Unlocked.RELEASED) {
                LOG.info("FleetLock: {} released the reboot lock (group {})", params.id(), params.group());
            }
        } catch (BadSemaphoreException e) {
            throw new Refusal(500, "failed_unlock", e.getMessage());
        } catch (RuntimeException e) {
            throw new Refusal(503, "failed_unlock", String.valueOf(e.getMessage()));
        }
    }

    static ClientParams parse(InputStream body) throws Refusal {
        JsonNode root;
        try {
            byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new Refusal(413, "bad_request", "request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new Refusal(400, "bad_request", "request body is not JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new Refusal(400, "bad_request", "request body must be {\"client_params\":{\"id\":...,\"group\":...}}");
        }
        JsonNode params = root.get("client_params");
        if (params == null || !params.isObject()) {
            throw new Refusal(400, "bad_request", "request body has no client_params object");
        }
        String id = text(params, "id");
        String group = text(params, "group");
        try {
            MachineId.validate(id);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "invalid_client_id", "client_params.id: " + e.getMessage());
        }
        try {
            LockKeys.forFleetLockGroup(group);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "invalid_group", "client_params.group: " + e.getMessage());
        }
        return new ClientParams(id, group);
    }

    private static String text(JsonNode params, String field) throws Refusal {
        JsonNode value = params.get(field);
        if (value == null || value.isNull()) {
            throw new Refusal(400, "bad_request", "client_params." + field + " is missing");
        }
        if (!value.isTextual()) {
            throw new Refusal(400, "bad_request", "client_params." + field + " must be a string");
        }
        return value.asText();
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
