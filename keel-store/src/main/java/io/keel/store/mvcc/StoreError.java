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
  CORRUPT("etcdserver: corrupt cluster"),
  // auth: appended, so that the ordinals logged results carry keep their meaning
  ROOT_USER_NOT_EXIST("etcdserver: root user does not exist"),
  ROOT_ROLE_NOT_EXIST("etcdserver: root user does not have root role"),
  USER_ALREADY_EXIST("etcdserver: user name already exists"),
  USER_EMPTY("etcdserver: user name is empty"),
  USER_NOT_FOUND("etcdserver: user name not found"),
  ROLE_ALREADY_EXIST("etcdserver: role name already exists"),
  ROLE_NOT_FOUND("etcdserver: role name not found"),
  ROLE_EMPTY("etcdserver: role name is empty"),
  AUTH_FAILED("etcdserver: authentication failed, invalid user ID or password"),
  PERMISSION_DENIED("etcdserver: permission denied"),
  ROLE_NOT_GRANTED("etcdserver: role is not granted to the user"),
  PERMISSION_NOT_GRANTED("etcdserver: permission is not granted to the role"),
  PERMISSION_NOT_GIVEN("etcdserver: permission not given"),
  AUTH_NOT_ENABLED("etcdserver: authentication is not enabled"),
  INVALID_AUTH_TOKEN("etcdserver: invalid auth token"),
  INVALID_AUTH_MGMT("etcdserver: invalid auth management"),
  AUTH_OLD_REVISION("etcdserver: revision of auth store is old");

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
