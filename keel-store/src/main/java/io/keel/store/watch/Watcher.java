package io.keel.store.watch;

import io.keel.store.mvcc.Event;
import io.keel.store.mvcc.KeyRange;

/** One watch on a stream: what it selects and the next revision it has not yet been sent. */
public final class Watcher {
  private final long id;
  private final KeyRange range;
  private final boolean noPut;
  private final boolean noDelete;
  private final boolean prevKv;
  private final boolean progressNotify;
  private final boolean fragment;
  private long nextRevision;
  private boolean sentSinceTick;

  public Watcher(long id, KeyRange range, long nextRevision, boolean noPut, boolean noDelete,
      boolean prevKv, boolean progressNotify, boolean fragment) {
    this.id = id;
    this.range = range;
    this.nextRevision = nextRevision;
    this.noPut = noPut;
    this.noDelete = noDelete;
    this.prevKv = prevKv;
    this.progressNotify = progressNotify;
    this.fragment = fragment;
  }

  public boolean selects(Event e) {
    if (e.type() == Event.Type.PUT ? noPut : noDelete) {
      return false;
    }
    return range.contains(e.kv().key());
  }

  public long id() {
    return id;
  }

  public KeyRange range() {
    return range;
  }

  public long nextRevision() {
    return nextRevision;
  }

  public void advanceTo(long next) {
    nextRevision = next;
  }

  public boolean prevKv() {
    return prevKv;
  }

  public boolean progressNotify() {
    return progressNotify;
  }

  public boolean fragment() {
    return fragment;
  }

  /** True if something was sent since the last progress tick; resets the mark. */
  public boolean takeSentSinceTick() {
    boolean sent = sentSinceTick;
    sentSinceTick = false;
    return sent;
  }

  public void markSent() {
    sentSinceTick = true;
  }
}
