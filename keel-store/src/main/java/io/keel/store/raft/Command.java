package io.keel.store.raft;

/** The kinds of entry the store's Raft log holds; the tag is the entry's first byte. */
public enum Command {
  PUT(1), DELETE_RANGE(2), TXN(3), COMPACT(4), LEASE_GRANT(5), LEASE_REVOKE(6), ALARM(7),
  MEMBER_ADD(10), MEMBER_REMOVE(11), MEMBER_UPDATE(12), MEMBER_PUBLISH(13), MEMBER_PROMOTE(14),
  /** Several of the writes above, applied in order as if logged one by one ({@link Batches}). */
  BATCH(15),
  /** Changes nothing; appended for a follower that stopped short ({@link CatchUpWatch}). */
  NOOP(9),
  /**
   * A ReadIndex round, never logged: answered once this member has applied everything committed
   * before the round began; the linearizable reads waiting on it then answer from local state.
   */
  READ_INDEX(8);

  private final byte tag;

  Command(int tag) {
    this.tag = (byte) tag;
  }

  public byte tag() {
    return tag;
  }

  private static final Command[] BY_TAG = new Command[16];

  static {
    for (Command c : values()) {
      BY_TAG[c.tag] = c;
    }
  }

  public static Command of(byte tag) {
    Command c = tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
    if (c == null) {
      throw new IllegalArgumentException("unknown log entry type " + tag);
    }
    return c;
  }
}
