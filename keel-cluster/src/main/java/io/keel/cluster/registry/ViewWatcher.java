package io.keel.cluster.registry;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ClusterView} current: loads everything under {@code /keel/} at one revision, then
 * watches {@code /keel/} from the next revision and applies the events in order.
 *
 * <p>Threading: the view is only touched on {@code executor}, which must run tasks one at a time
 * in submission order (a single-threaded executor). Listeners are called there too. If the watch
 * fails (the store compacted past the view's revision, or the stream broke for good) the view is
 * loaded again after {@link #RETRY_DELAY} and the listener hears {@link Listener#loaded} anew.
 */
public final class ViewWatcher implements AutoCloseable {

    public static final Duration RETRY_DELAY = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(ViewWatcher.class);

    /** Hears about the view, on the watcher's executor. */
    public interface Listener {
        /** A fresh view was loaded (at start and after the watch had to be restarted). */
        void loaded(ClusterView view);

        /** Events were applied; {@code changed} says which records they touched. */
        void changed(ClusterView view, Set<Keys.Ref> changed);

        /** Loading failed; the watcher retries after {@link #RETRY_DELAY}. */
        default void failed(RuntimeException error) {}
    }

    private final Registry registry;
    private final ScheduledExecutorService executor;
    private final Listener listener;
    private ClusterView view;
    private Watch.Watcher watcher;
    private long generation;
    private boolean closed;

    public ViewWatcher(Registry registry, ScheduledExecutorService executor, Listener listener) {
        this.registry = registry;
        this.executor = executor;
        this.listener = listener;
    }

    /** Starts loading; returns at once. */
    public void start() {
        executor.execute(this::reload);
    }

    /** The current view; only call on the executor. */
    public Optional<ClusterView> view() {
        return Optional.ofNullable(view);
    }

    private void reload() {
        if (closed) {
            return;
        }
        long gen = ++generation;
        stopWatching();
        registry.load().whenCompleteAsync((loaded, error) -> {
            if (closed || gen != generation) {
                return;
            }
            if (error != null) {
                RuntimeException e = error.getCause() instanceof RuntimeException r ? r
                        : error instanceof RuntimeException r ? r : new RegistryException(error.toString(), error);
                listener.failed(e);
                executor.schedule(this::reload, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            view = loaded;
            watchFrom(gen, loaded.revision() + 1);
            listener.loaded(loaded);
        }, executor);
    }

    private void watchFrom(long gen, long revision) {
        WatchOption option = WatchOption.builder()
                .isPrefix(true)
                .withRevision(revision)
                .withProgressNotify(true)
                .build();
        watcher = registry.client().getWatchClient().watch(Keys.bytes(Keys.ROOT), option, Watch.listener(
                response -> executor.execute(() -> onEvents(gen, response)),
                error -> executor.execute(() -> onWatchError(gen, error))));
    }

    private void onEvents(long gen, WatchResponse response) {
        if (closed || gen != generation) {
            return;
        }
        Set<Keys.Ref> changed = new LinkedHashSet<>();
        for (WatchEvent event : response.getEvents()) {
            Optional<Keys.Ref> ref = switch (event.getEventType()) {
                case PUT -> view.put(event.getKeyValue());
                case DELETE -> view.delete(event.getKeyValue().getKey(), event.getKeyValue().getModRevision());
                default -> Optional.empty();
            };
            ref.ifPresent(changed::add);
        }
        view.advanceTo(response.getHeader().getRevision());
        listener.changed(view, changed);
    }

    private void onWatchError(long gen, Throwable error) {
        if (closed || gen != generation) {
            return;
        }
        LOG.info("watch on {} ended ({}); reloading the cluster view", Keys.ROOT, error.getMessage());
        executor.schedule(this::reload, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopWatching() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    /** Stops watching. Safe to call from any thread. */
    @Override
    public void close() {
        executor.execute(() -> {
            closed = true;
            stopWatching();
        });
    }
}
