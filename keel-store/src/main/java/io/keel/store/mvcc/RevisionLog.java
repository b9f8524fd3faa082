package io.keel.store.mvcc;

import java.util.Arrays;
import java.util.List;

/**
 * The events of each revision, indexed by revision number. Revisions are dense, so they live in
 * fixed-size chunks of an array rather than in a sorted map: a revision costs one array slot
 * instead of a boxed key and map nodes, which the garbage collector would copy and scan once
 * for every write the store keeps.
 *
 * <p>One writer (under the store's writer lock), lock-free readers. A slot is written before the
 * store publishes its revision through a volatile field, and readers only look at revisions the
 * store has published, so they see the slot's events. The chunk table is replaced, never
 * changed, when a chunk is added or dropped; a reader works on the table it read.
 */
final class RevisionLog {
  private static final int CHUNK_BITS = 12;
  private static final int CHUNK = 1 << CHUNK_BITS;

  /** Chunk {@code i} holds revisions {@code [first + i * CHUNK, first + (i + 1) * CHUNK)}. */
  private record Table(long first, List<Event>[][] chunks) {
    List<Event> get(long revision) {
      long offset = revision - first;
      if (offset < 0) {
        return null;
      }
      long chunk = offset >>> CHUNK_BITS;
      if (chunk >= chunks.length) {
        return null;
      }
      return chunks[(int) chunk][(int) (offset & (CHUNK - 1))];
    }
  }

  private volatile Table table = empty(0);

  @SuppressWarnings("unchecked")
  private static Table empty(long first) {
    return new Table(first - Math.floorMod(first, CHUNK), new List[0][]);
  }

  /** Records the events of {@code revision}; the writer adds revisions in increasing order. */
  @SuppressWarnings("unchecked")
  void put(long revision, List<Event> events) {
    Table t = table;
    if (t.chunks.length == 0 && revision >= t.first + CHUNK) {
      t = empty(revision);
    }
    long offset = revision - t.first;
    if (offset < 0) {
      throw new IllegalArgumentException("revision " + revision + " is below the log's start");
    }
    int chunk = (int) (offset >>> CHUNK_BITS);
    if (chunk >= t.chunks.length) {
      List<Event>[][] grown = Arrays.copyOf(t.chunks, chunk + 1);
      for (int i = t.chunks.length; i <= chunk; i++) {
        grown[i] = new List[CHUNK];
      }
      t = new Table(t.first, grown);
    }
    t.chunks[chunk][(int) (offset & (CHUNK - 1))] = events;
    table = t;
  }

  /** The events of {@code revision}, or null when it has none here (or was dropped). */
  List<Event> get(long revision) {
    return table.get(revision);
  }

  /** Drops every revision below {@code revision}. */
  void dropBelow(long revision) {
    Table t = table;
    long offset = revision - t.first;
    if (offset <= 0) {
      return;
    }
    int whole = (int) Math.min(offset >>> CHUNK_BITS, t.chunks.length);
    if (whole > 0) {
      t = new Table(t.first + (long) whole * CHUNK,
          Arrays.copyOfRange(t.chunks, whole, t.chunks.length));
      table = t;
    }
    if (t.chunks.length > 0) {
      int partial = (int) Math.min(revision - t.first, CHUNK);
      Arrays.fill(t.chunks[0], 0, partial, null);
    }
  }

  void clear() {
    table = empty(0);
  }
}
