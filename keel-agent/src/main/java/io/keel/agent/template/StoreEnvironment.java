package io.keel.agent.template;

import io.etcd.jetcd.KeyValue;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A unit's environment from the store ({@code EnvironmentKeys=}): each key directly under a prefix
 * is a variable named by its last path segment ({@code /apps/web/env/PORT = 8080} is
 * {@code PORT=8080}).
 *
 * <p>Names must be valid environment names ({@code [A-Za-z_][A-Za-z0-9_]*}); keys deeper under the
 * prefix and keys with other names are skipped and listed in {@link Result#skipped()}, so a stray
 * key in the store does not keep a unit from starting. When several prefixes define a name, the
 * later prefix (in {@code EnvironmentKeys=} order) wins. All prefixes are read at one revision.
 */
public final class StoreEnvironment {

    /**
     * @param environment the variables, in prefix then key order
     * @param skipped one line per key that was not used, naming the key and why
     */
    public record Result(Map<String, String> environment, List<String> skipped) {
        public Result {
            environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
            skipped = List.copyOf(skipped);
        }
    }

    private final Registry registry;

    public StoreEnvironment(Registry registry) {
        this.registry = registry;
    }

    /** Reads {@code prefixes} (each ending in {@code /}) at the current revision. */
    public CompletableFuture<Result> read(List<String> prefixes) {
        return StoreKeys.read(registry, prefixes, 0).thenApply(snapshot -> of(prefixes, snapshot.byPrefix()));
    }

    /** The environment from keys already read: {@code keys.get(prefix)} holds the keys under each prefix. */
    public static Result of(List<String> prefixes, Map<String, List<KeyValue>> keys) {
        Map<String, Map<String, String>> strings = new LinkedHashMap<>();
        for (String prefix : prefixes) {
            Map<String, String> values = new LinkedHashMap<>();
            for (KeyValue kv : keys.getOrDefault(prefix, List.of())) {
                values.put(Keys.string(kv.getKey()), Keys.string(kv.getValue()));
            }
            strings.put(prefix, values);
        }
        return ofStrings(prefixes, strings);
    }

    /** As {@link #of}, with keys and values as strings. */
    public static Result ofStrings(List<String> prefixes, Map<String, Map<String, String>> keys) {
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (String prefix : prefixes) {
            for (Map.Entry<String, String> e : keys.getOrDefault(prefix, Map.of()).entrySet()) {
                String name = e.getKey().substring(prefix.length());
                if (name.contains("/")) {
                    skipped.add(e.getKey() + ": not directly under " + prefix);
                } else if (!validName(name)) {
                    skipped.add(e.getKey() + ": " + (name.isEmpty() ? "empty name" : "'" + name
                            + "' is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)"));
                } else {
                    environment.remove(name);
                    environment.put(name, e.getValue());
                }
            }
        }
        return new Result(environment, skipped);
    }

    static boolean validName(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*");
    }
}
