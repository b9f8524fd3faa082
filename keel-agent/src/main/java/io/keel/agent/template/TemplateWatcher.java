package io.keel.agent.template;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.keel.cluster.registry.Keys;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.RegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one unit's templates rendered from the store.
 *
 * <p>It reads the keys under the unit's prefixes at one revision, renders every template, then
 * watches the prefixes from the next revision. Events are applied to its copy of the keys; a burst
 * of them is coalesced: rendering waits until no event came for {@code debounce} (but no longer
 * than {@code maxDelay} after the first). {@link Listener#onChanged} is called once per rendering
 * that replaced at least one destination, with those destinations, so the unit is reloaded once
 * per change and never for a change that left every file as it was.
 *
 * <p>When the watch fails (the store is unreachable, or compacted past the revision), the files
 * stay as they are and the keys are read again at the store's current revision after
 * {@code retryDelay}, again and again until the store answers; that rendering reports only files
 * whose content differs, so a change made during the outage is rendered once and nothing is
 * reloaded twice.
 *
 * <p>Threading: all state lives on {@code executor}, which must run one task at a time in
 * submission order; listeners are called there. Rendering runs the check commands on it, so give
 * the watchers their own executor, not one that must stay responsive.
 */
public final class TemplateWatcher implements AutoCloseable {

    public static final Duration DEBOUNCE_DEFAULT = Duration.ofMillis(500);
    public static final Duration MAX_DELAY_DEFAULT = Duration.ofSeconds(5);
    public static final Duration RETRY_DELAY_DEFAULT = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(TemplateWatcher.class);

    /** Hears about renderings, on the watcher's executor. */
    public interface Listener {
        /** These destinations (in template order) have new content: reload or restart the unit once. */
        void onChanged(List<String> destinations);

        /** A template could not be rendered or its check failed; its old file is kept. */
        default void onRenderFailed(RenderResult failure) {}

        /** Reading or watching the store failed; the watcher retries after its retry delay. */
        default void onStoreFailed(RuntimeException error) {}
    }

    /** Timing: see the class comment. */
    public record Timing(Duration debounce, Duration maxDelay, Duration retryDelay) {
        public static final Timing DEFAULT = new Timing(DEBOUNCE_DEFAULT, MAX_DELAY_DEFAULT, RETRY_DELAY_DEFAULT);
    }

    private final String unit;
    private final Registry registry;
    private final UnitTemplates templates;
    private final Renderer renderer;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Timing timing;
    private final Listener listener;
    private final CompletableFuture<List<RenderResult>> firstRendering = new CompletableFuture<>();
    private final TreeMap<String, String> keys = new TreeMap<>();
    private final List<Watch.Watcher> watches = new ArrayList<>();
    private long revision;
    private long generation;
    private Instant firstEvent;
    private Instant lastEvent;
    private ScheduledFuture<?> pending;
    private boolean closed;

    public TemplateWatcher(String unit, Registry registry, UnitTemplates templates, Renderer renderer, Clock clock,
            ScheduledExecutorService executor, Timing timing, Listener listener) {
        if (!templates.hasTemplates()) {
            throw new IllegalArgumentException("unit " + unit + " has no templates to watch");
        }
        this.unit = unit;
        this.registry = registry;
        this.templates = templates;
        this.renderer = renderer;
        this.clock = clock;
        this.executor = executor;
        this.timing = timing;
        this.listener = listener;
    }

    /**
     * Starts reading the store; returns at once. The returned future completes with the results of
     * the first rendering (each template {@link RenderResult.Replaced}, {@link RenderResult.Unchanged}
     * or failed), after which the unit may start; it does not complete while the store is
     * unreachable (the caller decides how long to wait, and may start the unit on the files left
     * from before). It is cancelled by {@link #close()}. {@link Listener#onChanged} is not called
     * for the first rendering.
     */
    public CompletableFuture<List<RenderResult>> start() {
        executor.execute(this::load);
        return firstRendering;
    }

    /** The store revision the keys are current at; only call on the executor. */
    public long revision() {
        return revision;
    }

    private void load() {
        if (closed) {
            return;
        }
        long gen = ++generation;
        stopWatching();
        cancelPending();
        StoreKeys.read(registry, templates.keys(), 0).whenCompleteAsync((snapshot, error) -> {
            if (closed || gen != generation) {
                return;
            }
            if (error != null) {
                storeFailed(error);
                executor.schedule(this::load, timing.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            keys.clear();
            snapshot.byPrefix().values().forEach(kvs -> kvs.forEach(
                    kv -> keys.put(Keys.string(kv.getKey()), Keys.string(kv.getValue()))));
            revision = snapshot.revision();
            for (String prefix : templates.keys()) {
                watches.add(watch(gen, prefix, revision + 1));
            }
            render();
        }, executor);
    }

    private Watch.Watcher watch(long gen, String prefix, long from) {
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(from).build();
        return registry.client().getWatchClient().watch(Keys.bytes(prefix), option, Watch.listener(
                response -> executor.execute(() -> onEvents(gen, response)),
                error -> executor.execute(() -> onWatchError(gen, prefix, error))));
    }

    private void onEvents(long gen, WatchResponse response) {
        if (closed || gen != generation || response.getEvents().isEmpty()) {
            return;
        }
        for (WatchEvent event : response.getEvents()) {
            KeyValue kv = event.getKeyValue();
            String key = Keys.string(kv.getKey());
            switch (event.getEventType()) {
                case PUT -> keys.put(key, Keys.string(kv.getValue()));
                case DELETE -> keys.remove(key);
                default -> { }
            }
            revision = Math.max(revision, kv.getModRevision());
        }
        Instant now = clock.instant();
        lastEvent = now;
        if (firstEvent == null) {
            firstEvent = now;
        }
        if (pending == null) {
            pending = executor.schedule(this::flush, timing.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void flush() {
        pending = null;
        if (closed || firstEvent == null) {
            return;
        }
        Instant now = clock.instant();
        Duration quiet = Duration.between(lastEvent, now);
        Duration waited = Duration.between(firstEvent, now);
        if (quiet.compareTo(timing.debounce()) < 0 && waited.compareTo(timing.maxDelay()) < 0) {
            Duration wait = min(timing.debounce().minus(quiet), timing.maxDelay().minus(waited));
            pending = executor.schedule(this::flush, Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
            return;
        }
        render();
    }

    private void render() {
        firstEvent = null;
        lastEvent = null;
        Map<String, Object> context = KeyTree.of(keys).context();
        List<RenderResult> results = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (TemplateSpec spec : templates.templates()) {
            RenderResult result = renderer.render(spec, context);
            results.add(result);
            if (result.changed()) {
                changed.add(spec.destination().toString());
            } else if (result instanceof RenderResult.CheckFailed || result instanceof RenderResult.Failed) {
                LOG.warn("unit {}: {}", unit, result);
                listener.onRenderFailed(result);
            }
        }
        if (!firstRendering.isDone()) {
            firstRendering.complete(List.copyOf(results));
        } else if (!changed.isEmpty()) {
            LOG.info("unit {}: rendered {} at store revision {}", unit, changed, revision);
            listener.onChanged(List.copyOf(changed));
        }
    }

    private void onWatchError(long gen, String prefix, Throwable error) {
        if (closed || gen != generation) {
            return;
        }
        LOG.info("unit {}: watch on {} ended ({}); reading the keys again", unit, prefix, error.getMessage());
        generation++;
        stopWatching();
        storeFailed(error);
        executor.schedule(this::load, timing.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void storeFailed(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        listener.onStoreFailed(e instanceof RuntimeException r ? r : new RegistryException(String.valueOf(e.getMessage()), e));
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void stopWatching() {
        watches.forEach(Watch.Watcher::close);
        watches.clear();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops watching; files stay as they are. Safe to call from any thread. */
    @Override
    public void close() {
        executor.execute(() -> {
            closed = true;
            stopWatching();
            cancelPending();
            firstRendering.completeExceptionally(new CancellationException("template watcher of " + unit + " closed"));
        });
    }
}
