package io.keel.store.mvcc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * etcd's multi-version key-value store, in memory: a sorted key index of version histories, an
 * event log by revision for watchers, and compaction. Durability is the replicated log's job;
 * this class only has to be deterministic.
 *
 * <p>Threading: one writer at a time (the Raft apply thread) through {@link #beginWrite()};
 * reads from any thread, without locks: a read pins the current revision and ignores versions
 * above it, so it never sees a half-applied transaction. A {@link Snapshot} reads a fixed
 * revision while writes go on; physical compaction waits until no snapshot is open.
 */
public final class MvccStore {
  private final ReentrantLock writer = new ReentrantLock();
  private final ConcurrentSkipListMap<Bytes, KeyHistory> index = new ConcurrentSkipListMap<>();
  /** The same histories by key, for point lookups (a put, a single-key read) without a search. */
  private final ConcurrentHashMap<Bytes, KeyHistory> byKey = new ConcurrentHashMap<>();
  private final RevisionLog events = new RevisionLog();
  private final AtomicInteger openSnapshots = new AtomicInteger();
  private volatile long currentRevision = 1;
  private volatile long compactRevision = 0;
  private volatile long sizeBytes = 0;
  private volatile long releasedBytes = 0;
  private volatile int keyCount = 0;
  private long pendingPhysicalCompaction = 0;
  private LongConsumer revisionListener = rev -> {};

  /** Called with each new revision after it becomes visible (on the writer's thread). */
  public void onRevision(LongConsumer listener) {
    this.revisionListener = listener;
  }

  public long currentRevision() {
    return currentRevision;
  }

  public long compactRevision() {
    return compactRevision;
  }

  /** Approximate backend size: every retained version's key, value and bookkeeping. */
  public long sizeBytes() {
    return sizeBytes;
  }

  /**
   * Bytes of versions (as {@link #sizeBytes} counts them) the store has let go of since it was
   * created: dropped by compaction or replaced by a restore. Only grows.
   */
  public long releasedBytes() {
    return releasedBytes;
  }

  /** Keys with at least one retained version (live or deleted). */
  public int keyCount() {
    return keyCount;
  }

  public RangeResult range(KeyRange range, RangeOptions options) {
    return rangeAt(range, options, currentRevision);
  }

  private RangeResult rangeAt(KeyRange range, RangeOptions options, long current) {
    long rev = options.revision() <= 0 ? current : options.revision();
    if (rev > current) {
      throw StoreError.FUTURE_REV.exception();
    }
    if (rev < compactRevision) {
      throw StoreError.COMPACTED.exception();
    }
    List<KeyValue> found = new ArrayList<>();
    long count = 0;
    for (KeyHistory history : candidates(range)) {
      KeyValue kv = history.at(rev);
      if (kv == null) {
        continue;
      }
      count++;
      if (!options.countOnly() && (options.limit() <= 0 || found.size() < options.limit())) {
        found.add(kv);
      }
    }
    if (rev < compactRevision) {
      throw StoreError.COMPACTED.exception();
    }
    return new RangeResult(found, count, current);
  }

  private Collection<KeyHistory> candidates(KeyRange range) {
    if (range.isSingleKey()) {
      KeyHistory h = byKey.get(range.key());
      return h == null ? List.of() : List.of(h);
    }
    if (range.isOpenEnded()) {
      return index.tailMap(range.key(), true).values();
    }
    if (range.end().compareTo(range.key()) <= 0) {
      return List.of();
    }
    return index.subMap(range.key(), true, range.end(), false).values();
  }

  /** Events read for a watcher, and the last revision they cover (inclusive). */
  public record EventBatch(List<Event> events, long throughRevision) {}

  /**
   * Events with revisions from {@code fromRevision} on, in revision order, covering at most
   * {@code maxRevisions} revisions that had changes.
   *
   * @throws MvccException COMPACTED when {@code fromRevision} is below the compaction point
   */
  public EventBatch eventsFrom(long fromRevision, int maxRevisions) {
    long current = currentRevision;
    if (fromRevision < compactRevision) {
      throw StoreError.COMPACTED.exception();
    }
    List<Event> out = new ArrayList<>();
    if (fromRevision > current) {
      return new EventBatch(out, current);
    }
    int revisions = 0;
    for (long rev = fromRevision; rev <= current; rev++) {
      List<Event> changes = events.get(rev);
      if (changes == null) {
        continue;
      }
      out.addAll(changes);
      if (++revisions >= maxRevisions) {
        return new EventBatch(out, rev);
      }
    }
    if (fromRevision < compactRevision) {
      throw StoreError.COMPACTED.exception();
    }
    return new EventBatch(out, current);
  }

  /** Starts the single write transaction; the caller must {@link WriteTxn#end()} it. */
  public WriteTxn beginWrite() {
    writer.lock();
    return new WriteTxn();
  }

  /**
   * Drops history older than {@code revision}; reads at {@code revision} and later still work.
   */
  public void compact(long revision) {
    writer.lock();
    try {
      if (revision <= compactRevision) {
        throw StoreError.COMPACTED.exception();
      }
      if (revision > currentRevision) {
        throw StoreError.FUTURE_REV.exception();
      }
      compactRevision = revision;
      events.dropBelow(revision);
      pendingPhysicalCompaction = revision;
      compactPhysicallyIfNoSnapshot();
    } finally {
      writer.unlock();
    }
  }

  /** Drops compacted versions unless a snapshot is reading them; the writer lock is held. */
  private void compactPhysicallyIfNoSnapshot() {
    if (pendingPhysicalCompaction == 0 || openSnapshots.get() > 0) {
      return;
    }
    long revision = pendingPhysicalCompaction;
    pendingPhysicalCompaction = 0;
    long freed = 0;
    int removed = 0;
    for (var it = index.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      KeyHistory h = entry.getValue();
      freed += h.compact(revision);
      if (h.isEmpty()) {
        it.remove();
        byKey.remove(entry.getKey());
        removed++;
      }
    }
    sizeBytes -= freed;
    releasedBytes += freed;
    keyCount -= removed;
  }

  /** A write transaction: every change it makes shares one new revision. */
  public final class WriteTxn implements AutoCloseable {
    private final long revision = currentRevision + 1;
    private final List<Event> changes = new ArrayList<>();
    private boolean ended;

    public long revision() {
      return changes.isEmpty() ? currentRevision : revision;
    }

    /** Reads see this transaction's own earlier changes. */
    public RangeResult range(KeyRange range, RangeOptions options) {
      long visible = changes.isEmpty() ? currentRevision : revision;
      RangeOptions effective = options.revision() <= 0
          ? new RangeOptions(options.limit(), visible, options.countOnly()) : options;
      return rangeAt(range, effective, visible);
    }

    public KeyValue get(Bytes key) {
      KeyHistory h = byKey.get(key);
      return h == null ? null : h.latest();
    }

    /** Writes {@code key}; returns the version it replaced, or null. */
    public KeyValue put(Bytes key, Bytes value, long lease) {
      KeyHistory h = byKey.get(key);
      if (h == null) {
        h = new KeyHistory();
        byKey.put(key, h);
        index.put(key, h);
        keyCount++;
      }
      KeyValue prev = h.latest();
      KeyValue kv = prev == null
          ? new KeyValue(key, revision, revision, 1, value, lease)
          : new KeyValue(prev.key(), prev.createRevision(), revision, prev.version() + 1, value,
              lease);
      record(h, kv, new Event(Event.Type.PUT, kv, prev));
      return prev;
    }

    /** Deletes every live key in the range; returns the versions deleted. */
    public List<KeyValue> deleteRange(KeyRange range) {
      List<KeyHistory> hit = new ArrayList<>();
      for (KeyHistory h : candidates(range)) {
        if (h.latest() != null) {
          hit.add(h);
        }
      }
      List<KeyValue> deleted = new ArrayList<>(hit.size());
      for (KeyHistory h : hit) {
        KeyValue prev = h.latest();
        KeyValue tombstone = new KeyValue(prev.key(), 0, revision, 0, Bytes.EMPTY, 0);
        record(h, tombstone, new Event(Event.Type.DELETE, tombstone, prev));
        deleted.add(prev);
      }
      return deleted;
    }

    private void record(KeyHistory h, KeyValue kv, Event event) {
      h.append(kv, changes.size());
      changes.add(event);
      sizeBytes += kv.footprint();
    }

    /** Publishes the changes (if any) as one new revision and releases the writer lock. */
    public long end() {
      if (ended) {
        return currentRevision;
      }
      ended = true;
      boolean changed = !changes.isEmpty();
      try {
        if (changed) {
          events.put(revision, List.copyOf(changes));
          currentRevision = revision;
        }
        compactPhysicallyIfNoSnapshot();
      } finally {
        writer.unlock();
      }
      if (changed) {
        revisionListener.accept(revision);
      }
      return currentRevision;
    }

    @Override
    public void close() {
      end();
    }
  }

  /** Visits every retained version at the current revision; see {@link #openSnapshot()}. */
  public void forEachVersion(VersionVisitor visitor) {
    try (Snapshot snapshot = openSnapshot()) {
      snapshot.forEachVersion(visitor);
    }
  }

  /**
   * Pins the current revision for a long read (a snapshot file, a hash) that must not block
   * writes. Open it where no write is in progress (the apply thread, between entries) for an
   * exact cut; close it promptly, since compaction waits for it.
   */
  public Snapshot openSnapshot() {
    writer.lock();
    try {
      openSnapshots.incrementAndGet();
      return new Snapshot(currentRevision, compactRevision);
    } finally {
      writer.unlock();
    }
  }

  /** The store as of one revision, readable while writes go on. */
  public final class Snapshot implements AutoCloseable {
    private final long revision;
    private final long compactRevision;
    private boolean closed;

    private Snapshot(long revision, long compactRevision) {
      this.revision = revision;
      this.compactRevision = compactRevision;
    }

    public long revision() {
      return revision;
    }

    public long compactRevision() {
      return compactRevision;
    }

    /** Histories oldest first, by key, up to this snapshot's revision. */
    public void forEachVersion(VersionVisitor visitor) {
      for (KeyHistory h : index.values()) {
        h.forEach(revision, visitor);
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        openSnapshots.decrementAndGet();
      }
    }
  }

  @FunctionalInterface
  public interface VersionVisitor {
    void visit(KeyValue kv, int sub);
  }

  /**
   * Rebuilds the store from a snapshot's versions (as {@link #forEachVersion} lists them) and
   * its revisions. Only for an empty store.
   */
  public void restore(Iterable<Versioned> versions, long current, long compacted) {
    writer.lock();
    try {
      index.clear();
      byKey.clear();
      events.clear();
      releasedBytes += sizeBytes;
      sizeBytes = 0;
      keyCount = 0;
      pendingPhysicalCompaction = 0;
      NavigableMap<Long, TreeMap<Integer, Event>> byRevision = new TreeMap<>();
      for (Versioned v : versions) {
        KeyHistory h = index.computeIfAbsent(v.kv().key(), k -> new KeyHistory());
        KeyValue prev = h.latest();
        h.append(v.kv(), v.sub());
        sizeBytes += v.kv().footprint();
        Event event = KeyHistory.isTombstone(v.kv())
            ? new Event(Event.Type.DELETE, v.kv(), prev)
            : new Event(Event.Type.PUT, v.kv(), prev);
        if (v.kv().modRevision() >= compacted) {
          byRevision.computeIfAbsent(v.kv().modRevision(), r -> new TreeMap<>()).put(v.sub(), event);
        }
      }
      byRevision.forEach((rev, bySub) ->
          events.put(rev, List.copyOf(bySub.values())));
      byKey.putAll(index);
      keyCount = byKey.size();
      currentRevision = current;
      compactRevision = compacted;
    } finally {
      writer.unlock();
    }
  }

  public record Versioned(KeyValue kv, int sub) {}
}
