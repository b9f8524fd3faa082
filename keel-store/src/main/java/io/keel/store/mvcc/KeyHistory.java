package io.keel.store.mvcc;

import java.util.Arrays;

/**
 * Every retained version of one key, oldest first. A tombstone (a delete) is stored as a version
 * with {@code version == 0}.
 *
 * <p>One writer, any number of lock-free readers: the writer publishes an immutable {@link
 * State} after each change. Appends write past the published size of a shared array, which no
 * reader looks at; compaction always builds new arrays.
 */
final class KeyHistory {
  private record State(KeyValue[] versions, int[] subs, int size) {}

  private static final State EMPTY = new State(new KeyValue[0], new int[0], 0);

  private volatile State state = EMPTY;

  static boolean isTombstone(KeyValue kv) {
    return kv.version() == 0;
  }

  void append(KeyValue kv, int sub) {
    State s = state;
    KeyValue[] versions = s.versions;
    int[] subs = s.subs;
    if (s.size == versions.length) {
      int capacity = Math.max(2, s.size * 2);
      versions = Arrays.copyOf(versions, capacity);
      subs = Arrays.copyOf(subs, capacity);
    }
    versions[s.size] = kv;
    subs[s.size] = sub;
    state = new State(versions, subs, s.size + 1);
  }

  /** The live version at {@code revision}, or null if the key did not exist then. */
  KeyValue at(long revision) {
    State s = state;
    int i = indexAt(s, revision);
    if (i < 0 || isTombstone(s.versions[i])) {
      return null;
    }
    return s.versions[i];
  }

  /** The live latest version, or null when deleted. */
  KeyValue latest() {
    State s = state;
    if (s.size == 0) {
      return null;
    }
    KeyValue last = s.versions[s.size - 1];
    return isTombstone(last) ? null : last;
  }

  private static int indexAt(State s, long revision) {
    int lo = 0;
    int hi = s.size - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (s.versions[mid].modRevision() <= revision) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * Drops the versions no read at or after {@code revision} can see. Returns the bytes freed.
   */
  long compact(long revision) {
    State s = state;
    int keep = indexAt(s, revision);
    if (keep < 0) {
      return 0;
    }
    if (isTombstone(s.versions[keep])) {
      keep++;
    }
    if (keep == 0) {
      return 0;
    }
    long freed = 0;
    for (int i = 0; i < keep; i++) {
      freed += s.versions[i].footprint();
    }
    int left = s.size - keep;
    int capacity = Math.max(2, left);
    KeyValue[] versions = new KeyValue[capacity];
    int[] subs = new int[capacity];
    System.arraycopy(s.versions, keep, versions, 0, left);
    System.arraycopy(s.subs, keep, subs, 0, left);
    state = new State(versions, subs, left);
    return freed;
  }

  boolean isEmpty() {
    return state.size == 0;
  }

  /** Visits versions with {@code modRevision <= upTo}, oldest first. */
  void forEach(long upTo, MvccStore.VersionVisitor visitor) {
    State s = state;
    for (int i = 0; i < s.size && s.versions[i].modRevision() <= upTo; i++) {
      visitor.visit(s.versions[i], s.subs[i]);
    }
  }
}
