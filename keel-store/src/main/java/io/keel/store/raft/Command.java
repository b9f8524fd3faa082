package io.keel.store.raft;

/** The kinds of entry the store's Raft log holds; the tag is the entry's first byte. */
public enum Command {
  PUT(1), DELETE_RANGE(2), TXN(3), COMPACT(4), LEASE_GRANT(5), LEASE_REVOKE(6), ALARM(7),
  MEMBER_ADD(10), MEMBER_REMOVE(11), MEMBER_UPDATE(12), MEMBER_PUBLISH(13), MEMBER_PROMOTE(14),
  /** Read-only: a Range, answered through ReadIndex, never logged. */
  RANGE(8),
  /** Read-only: a Txn without writes, answered through ReadIndex, never logged. */
  READ_TXN(9);

  private final byte tag;

  Command(int tag) {
    this.tag = (byte) tag;
  }

  public byte tag() {
    return tag;
  }

  public static Command of(byte tag) {
    for (Command c : values()) {
      if (c.tag == tag) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown log entry type " + tag);
  }
}
