package io.keel.store.mvcc;

import java.util.Arrays;

/**
 * Every retained version of one key, oldest first. A tombstone (a delete) is stored as a version
 * with {@code version == 0}. Not thread-safe: {@link MvccStore} guards it.
 */
final class KeyHistory {
  private KeyValue[] versions = new KeyValue[2];
  private int[] subs = new int[2];
  private int size;

  static boolean isTombstone(KeyValue kv) {
    return kv.version() == 0;
  }

  void append(KeyValue kv, int sub) {
    if (size == versions.length) {
      versions = Arrays.copyOf(versions, size * 2);
      subs = Arrays.copyOf(subs, size * 2);
    }
    versions[size] = kv;
    subs[size] = sub;
    size++;
  }

  /** The live version at {@code revision}, or null if the key did not exist then. */
  KeyValue at(long revision) {
    int i = indexAt(revision);
    if (i < 0 || isTombstone(versions[i])) {
      return null;
    }
    return versions[i];
  }

  /** The live latest version, or null when deleted. */
  KeyValue latest() {
    return size == 0 || isTombstone(versions[size - 1]) ? null : versions[size - 1];
  }

  private int indexAt(long revision) {
    int lo = 0;
    int hi = size - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (versions[mid].modRevision() <= revision) {
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
    int keep = indexAt(revision);
    if (keep < 0) {
      return 0;
    }
    if (isTombstone(versions[keep])) {
      keep++;
    }
    long freed = 0;
    for (int i = 0; i < keep; i++) {
      freed += versions[i].footprint();
    }
    if (keep > 0) {
      System.arraycopy(versions, keep, versions, 0, size - keep);
      System.arraycopy(subs, keep, subs, 0, size - keep);
      Arrays.fill(versions, size - keep, size, null);
      size -= keep;
    }
    return freed;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  KeyValue version(int i) {
    return versions[i];
  }

  int sub(int i) {
    return subs[i];
  }
}
