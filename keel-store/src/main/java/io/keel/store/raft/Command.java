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
  READ_INDEX(8),
  /**
   * A client's request with the user it came from ({@link io.keel.store.auth.Caller}): the
   * permission checks run when it is applied, against the auth state of that moment, as etcd's.
   */
  AS_USER(16),
  AUTH_ENABLE(17), AUTH_DISABLE(18),
  /** A password already checked; applying it hands the token to every member. */
  AUTHENTICATE(19),
  USER_ADD(20), USER_DELETE(21), USER_CHANGE_PASSWORD(22), USER_GRANT_ROLE(23),
  USER_REVOKE_ROLE(24), ROLE_ADD(25), ROLE_DELETE(26), ROLE_GRANT_PERMISSION(27),
  ROLE_REVOKE_PERMISSION(28);

  private final byte tag;

  Command(int tag) {
    this.tag = (byte) tag;
  }

  public byte tag() {
    return tag;
  }

  private static final Command[] BY_TAG = new Command[32];

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
