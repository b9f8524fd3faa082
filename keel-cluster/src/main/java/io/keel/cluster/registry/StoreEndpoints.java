package io.keel.cluster.registry;

import io.etcd.jetcd.Client;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Store endpoints as etcdctl takes them: {@code host:port} or {@code http://host:port},
 * comma-separated.
 */
public record StoreEndpoints(List<URI> uris) {

    public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(3);
    public static final int MAX_INBOUND_MESSAGE_BYTES = 64 << 20;

    public StoreEndpoints {
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("--endpoints names no store endpoint");
        }
        uris = List.copyOf(uris);
    }

    /** Parses {@code 127.0.0.1:2379,http://127.0.0.1:22379}. */
    public static StoreEndpoints parse(String endpoints) {
        List<URI> uris = new ArrayList<>();
        for (String part : endpoints.split(",")) {
            String e = part.trim();
            if (e.isEmpty()) {
                continue;
            }
            if (e.startsWith("https://")) {
                throw new IllegalArgumentException("store endpoint " + e + ": TLS is not supported yet; use http://");
            }
            String withScheme = e.contains("://") ? e : "http://" + e;
            try {
                URI uri = new URI(withScheme);
                if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
                    throw new IllegalArgumentException("store endpoint " + e + " is not host:port or http://host:port");
                }
                uris.add(new URI("http", null, uri.getHost(), uri.getPort(), null, null, null));
            } catch (URISyntaxException ex) {
                throw new IllegalArgumentException("store endpoint " + e + " is not host:port or http://host:port");
            }
        }
        return new StoreEndpoints(uris);
    }

    /** A jetcd client on these endpoints that fails calls fast when no endpoint answers. */
    public Client connect() {
        return Client.builder()
                .endpoints(uris.toArray(URI[]::new))
                .connectTimeout(CONNECT_TIMEOUT_DEFAULT)
                .waitForReady(false)
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                .build();
    }

    @Override
    public String toString() {
        return uris.stream().map(URI::toString).collect(Collectors.joining(","));
    }
}
