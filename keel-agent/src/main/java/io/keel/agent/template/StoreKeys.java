package io.keel.agent.template;

import io.etcd.jetcd.KeyValue;
import io.keel.cluster.registry.Registry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The keys under several prefixes, read at one revision. */
record StoreKeys(Map<String, List<KeyValue>> byPrefix, long revision) {

    /** Reads every prefix at {@code revision} (0: the first prefix at the current one, the others at that). */
    static CompletableFuture<StoreKeys> read(Registry registry, List<String> prefixes, long revision) {
        CompletableFuture<StoreKeys> result = CompletableFuture.completedFuture(new StoreKeys(Map.of(), revision));
        for (String prefix : prefixes) {
            result = result.thenCompose(sofar -> registry.rangeAll(prefix, sofar.revision()).thenApply(page -> {
                Map<String, List<KeyValue>> next = new LinkedHashMap<>(sofar.byPrefix());
                next.put(prefix, page.kvs());
                return new StoreKeys(next, page.revision());
            }));
        }
        return result;
    }
}
