package io.keel.store.auth;

/**
 * Who sent a request, as etcd's AuthInfo: a user name and the auth revision at which its token
 * was checked. Requests without a token come from {@link #ANONYMOUS}; Keel's own requests (an
 * expired lease's revoke) from {@link #INTERNAL}, which passes every check, as etcd's own
 * requests run as root.
 */
public record Caller(String user, long authRevision) {
  public static final Caller ANONYMOUS = new Caller("", 0);
  public static final Caller INTERNAL = new Caller("", -1);

  public boolean internal() {
    return authRevision < 0;
  }
}
