package io.keel.api;

import com.sun.net.httpserver.HttpExchange;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.MachineRecord;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.Versioned;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code /keel/v1/status/NAME} and {@code /keel/v1/journal/NAME[?lines=N][&follow=true]}: served
 * by the machine that holds the unit. Any node answers: it finds the machines holding the unit
 * (their state keys and the unit's schedule) and asks each one's API ({@code local=true}, so the
 * request is not passed on again); {@code machine=ID} picks one machine.
 */
final class UnitPages {

    private static final Duration PROXY_TIMEOUT = Duration.ofSeconds(10);

    private final Registry registry;
    private final String selfMachineId;
    private final LocalUnits local;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROXY_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();

    UnitPages(Registry registry, String selfMachineId, LocalUnits local) {
        this.registry = registry;
        this.selfMachineId = selfMachineId;
        this.local = local;
    }

    void status(HttpExchange exchange, String unit, Map<String, List<String>> query) throws IOException {
        if (isLocal(query)) {
            sendText(exchange, local.status(unit).orElseThrow(() -> notHere(unit)));
            return;
        }
        StringBuilder text = new StringBuilder();
        for (MachineRecord machine : holders(unit, single(query, "machine"))) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(machine.id().equals(selfMachineId)
                    ? local.status(unit).orElseThrow(() -> notHere(unit))
                    : fetch(machine, "status", unit, ""));
        }
        sendText(exchange, text.toString());
    }

    void journal(HttpExchange exchange, String unit, Map<String, List<String>> query) throws IOException {
        int lines = lines(single(query, "lines"));
        boolean follow = Boolean.parseBoolean(single(query, "follow"));
        MachineRecord machine = null;
        if (!isLocal(query)) {
            machine = holders(unit, single(query, "machine")).get(0);
            if (machine.id().equals(selfMachineId)) {
                machine = null;
            }
        }
        if (machine != null) {
            String params = "lines=" + lines + (follow ? "&follow=true" : "");
            if (follow) {
                relay(exchange, machine, unit, params);
            } else {
                sendText(exchange, fetch(machine, "journal", unit, params));
            }
            return;
        }
        if (follow) {
            followLocal(exchange, unit, lines);
        } else {
            List<String> text = local.journal(unit, lines).orElseThrow(() -> notHere(unit));
            sendText(exchange, text.stream().map(l -> l + "\n").collect(Collectors.joining()));
        }
    }

    private void followLocal(HttpExchange exchange, String unit, int lines) throws IOException {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(10_000);
        try (AutoCloseable handle = local.follow(unit, lines, queue::offer)) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            while (true) {
                String line = queue.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    out.flush();
                    continue;
                }
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void relay(HttpExchange exchange, MachineRecord machine, String unit, String params) throws IOException {
        HttpResponse<InputStream> response = call(machine, "journal", unit, params, HttpResponse.BodyHandlers.ofInputStream(),
                null);
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new ApiException(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    private String fetch(MachineRecord machine, String page, String unit, String params) {
        HttpResponse<String> response = call(machine, page, unit, params, HttpResponse.BodyHandlers.ofString(),
                PROXY_TIMEOUT);
        if (response.statusCode() != 200) {
            throw new ApiException(response.statusCode(), "machine " + machine.shortId() + ": " + response.body());
        }
        return response.body();
    }

    private <T> HttpResponse<T> call(MachineRecord machine, String page, String unit, String params,
            HttpResponse.BodyHandler<T> handler, Duration timeout) {
        if (machine.apiURL().isEmpty()) {
            throw new ApiException(503, "machine " + machine.shortId() + " does not publish its API address");
        }
        URI uri = URI.create(machine.apiURL() + "/keel/v1/" + page + "/"
                + URLEncoder.encode(unit, StandardCharsets.UTF_8).replace("+", "%20")
                + "?local=true" + (params.isEmpty() ? "" : "&" + params));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", "text/plain");
        if (timeout != null) {
            request.timeout(timeout);
        }
        try {
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw new ApiException(503, "cannot reach machine " + machine.shortId() + " at " + machine.apiURL()
                    + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        }
    }

    /** The machines holding the unit: the one it is scheduled to first, then any reporting a state. */
    private List<MachineRecord> holders(String unit, String onlyMachine) {
        if (Registry.await(registry.unit(unit)).isEmpty()) {
            throw new ApiException(404, "Unit " + unit + " does not exist.");
        }
        Set<String> ids = new LinkedHashSet<>();
        Registry.await(registry.schedule(unit)).ifPresent(placed -> ids.add(placed.machineID()));
        Registry.await(registry.rangeAll(Keys.statesOf(unit), 0)).kvs()
                .forEach(kv -> ids.add(Keys.string(kv.getKey()).substring(Keys.statesOf(unit).length())));
        if (onlyMachine != null) {
            ids.removeIf(id -> !id.equals(onlyMachine) && !id.startsWith(onlyMachine));
        }
        Map<String, MachineRecord> machines = Registry.await(registry.machines()).stream()
                .map(Versioned::value)
                .collect(Collectors.toMap(MachineRecord::id, m -> m));
        List<MachineRecord> holders = new ArrayList<>();
        for (String id : ids) {
            Optional.ofNullable(machines.get(id)).ifPresent(holders::add);
        }
        if (holders.isEmpty()) {
            throw new ApiException(404, "Unit " + unit + " does not appear to be running"
                    + (onlyMachine != null ? " on machine " + onlyMachine : "") + ".");
        }
        return holders;
    }

    private static ApiException notHere(String unit) {
        return new ApiException(404, "Unit " + unit + " does not appear to be running on this machine.");
    }

    private static boolean isLocal(Map<String, List<String>> query) {
        return Boolean.parseBoolean(single(query, "local"));
    }

    private static int lines(String value) {
        if (value == null) {
            return 10;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("lines must be a non-negative integer, not '" + value + "'");
        }
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static void sendText(HttpExchange exchange, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
