package io.keel.store.mvcc;

/** etcd's server errors, with the exact messages etcd puts on the wire. */
public enum StoreError {
  COMPACTED("etcdserver: mvcc: required revision has been compacted"),
  FUTURE_REV("etcdserver: mvcc: required revision is a future revision"),
  EMPTY_KEY("etcdserver: key is not provided"),
  KEY_NOT_FOUND("etcdserver: key not found"),
  VALUE_PROVIDED("etcdserver: value is provided"),
  LEASE_PROVIDED("etcdserver: lease is provided"),
  TOO_MANY_OPS("etcdserver: too many operations in txn request"),
  DUPLICATE_KEY("etcdserver: duplicate key given in txn request"),
  REQUEST_TOO_LARGE("etcdserver: request is too large"),
  NO_SPACE("etcdserver: mvcc: database space exceeded"),
  LEASE_NOT_FOUND("etcdserver: requested lease not found"),
  LEASE_EXISTS("etcdserver: lease already exists"),
  LEASE_TTL_TOO_LARGE("etcdserver: too large lease TTL"),
  MEMBER_NOT_FOUND("etcdserver: member not found"),
  MEMBER_EXISTS("etcdserver: member ID already exist"),
  PEER_URL_EXISTS("etcdserver: Peer URLs already exists"),
  MEMBER_NOT_LEARNER("etcdserver: can only promote a learner member"),
  LEADER_CHANGED("etcdserver: leader changed"),
  UNHEALTHY("etcdserver: unhealthy cluster"),
  INVALID_SORT_OPTION("etcdserver: invalid sort option"),
  NO_LEADER("etcdserver: no leader"),
  NOT_CAPABLE("etcdserver: not capable"),
  STOPPED("etcdserver: server stopped"),
  TIMEOUT("etcdserver: request timed out"),
  CORRUPT("etcdserver: corrupt cluster");

  private final String message;

  StoreError(String message) {
    this.message = message;
  }

  public String message() {
    return message;
  }

  public MvccException exception() {
    return new MvccException(this);
  }
}
