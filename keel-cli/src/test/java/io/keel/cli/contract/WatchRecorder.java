package io.keel.cli.contract;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.keel.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A jetcd watch listener that records everything it is told, for assertions with deadlines. */
public final class WatchRecorder implements Watch.Listener {

    public static final Duration WAIT = Duration.ofSeconds(20);

    private final List<WatchResponse> responses = new ArrayList<>();
    private final List<WatchEvent> events = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private boolean created;
    private boolean completed;

    @Override
    public synchronized void onNext(WatchResponse response) {
        if (response.isCreatedNotify()) {
            created = true;
            return;
        }
        responses.add(response);
        events.addAll(response.getEvents());
    }

    @Override
    public synchronized void onError(Throwable error) {
        errors.add(error);
    }

    @Override
    public synchronized void onCompleted() {
        completed = true;
    }

    /** Waits for the server's "created" answer (the watch needs {@code withCreateNotify(true)}). */
    public void awaitCreated() {
        Await.until(WAIT, "the watch is created", () -> {
            synchronized (this) {
                return created || !errors.isEmpty();
            }
        });
        synchronized (this) {
            if (!errors.isEmpty()) {
                throw new AssertionError("watch failed instead of being created: " + errors, errors.get(0));
            }
        }
    }

    /** Waits until at least {@code count} events have arrived and returns all events so far. */
    public List<WatchEvent> awaitEvents(int count) {
        Await.until(WAIT, count + " watch events arrive (have " + eventCount() + ", errors " + errors() + ")",
                () -> eventCount() >= count);
        return events();
    }

    public Throwable awaitError() {
        Await.until(WAIT, "the watch reports an error", () -> !errors().isEmpty());
        return errors().get(0);
    }

    public synchronized int eventCount() {
        return events.size();
    }

    public synchronized List<WatchEvent> events() {
        return new ArrayList<>(events);
    }

    public synchronized List<WatchResponse> responses() {
        return new ArrayList<>(responses);
    }

    public synchronized List<Throwable> errors() {
        return new ArrayList<>(errors);
    }

    public synchronized boolean completed() {
        return completed;
    }
}
