package io.keel.store.watch;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Tells watch streams that a new revision exists (called on the apply thread, so listeners must
 * only schedule work, never do it) and when a progress notification is due.
 */
public final class WatchHub {
  /** One watch stream's hooks. */
  public interface Listener {
    void onNewRevision();

    void onProgressTick();
  }

  private final Set<Listener> listeners = new CopyOnWriteArraySet<>();

  public void register(Listener listener) {
    listeners.add(listener);
  }

  public void unregister(Listener listener) {
    listeners.remove(listener);
  }

  public void publish(long revision) {
    listeners.forEach(Listener::onNewRevision);
  }

  public void progressTick() {
    listeners.forEach(Listener::onProgressTick);
  }

  public int streams() {
    return listeners.size();
  }
}
