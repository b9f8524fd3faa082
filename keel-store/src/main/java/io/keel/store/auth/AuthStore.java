package io.keel.store.auth;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Permission;
import io.keel.store.mvcc.StoreError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * etcd's auth store: users, roles, their key permissions, whether auth is enabled, and the auth
 * revision that every change moves on. Replicated state, changed only by applied log entries (on
 * the apply thread) and read from any thread. Changes refuse with etcd's errors and change
 * nothing when they do. The tokens handed out ({@link Tokens}) are this member's own.
 */
public final class AuthStore {
  public static final String ROOT = "root";

  /** A user; {@code roles} sorted, as etcd keeps them. */
  public record User(String name, String passwordHash, List<String> roles) {
    boolean isRoot() {
      return roles.contains(ROOT);
    }
  }

  /** A role; its permissions sorted by key, as etcd keeps them. */
  public record Role(String name, List<Permission> permissions) {}

  /** Everything a snapshot holds. */
  public record State(boolean enabled, long revision, List<User> users, List<Role> roles) {}

  private final Map<String, User> users = new ConcurrentSkipListMap<>();
  private final Map<String, Role> roles = new ConcurrentSkipListMap<>();
  private final Tokens tokens;
  private volatile boolean enabled;
  private volatile long revision = 1;

  public AuthStore(Tokens tokens) {
    this.tokens = tokens;
  }

  /** A store whose tokens live the default TTL on the system clock: for tools and tests. */
  public static AuthStore withDefaultTokens() {
    return new AuthStore(new Tokens(java.time.Clock.systemUTC(), Tokens.DEFAULT_TTL));
  }

  public boolean enabled() {
    return enabled;
  }

  public long revision() {
    return revision;
  }

  public Tokens tokens() {
    return tokens;
  }

  // ---- changes (applied entries) ----------------------------------------------------------

  public void enable() {
    if (enabled) {
      return;
    }
    User root = users.get(ROOT);
    if (root == null) {
      throw StoreError.ROOT_USER_NOT_EXIST.exception();
    }
    if (!root.isRoot()) {
      throw StoreError.ROOT_ROLE_NOT_EXIST.exception();
    }
    enabled = true;
    revision++;
  }

  public void disable() {
    if (!enabled) {
      return;
    }
    enabled = false;
    revision++;
    tokens.clear();
  }

  /** Hands {@code token} to the user, once auth is enabled and the user exists. */
  public void authenticate(String user, String token) {
    if (!enabled) {
      throw StoreError.AUTH_NOT_ENABLED.exception();
    }
    if (!users.containsKey(user)) {
      throw StoreError.AUTH_FAILED.exception();
    }
    tokens.assign(token, user);
  }

  public void userAdd(String name, String passwordHash) {
    if (name.isEmpty()) {
      throw StoreError.USER_EMPTY.exception();
    }
    if (users.containsKey(name)) {
      throw StoreError.USER_ALREADY_EXIST.exception();
    }
    users.put(name, new User(name, passwordHash, List.of()));
    revision++;
  }

  public void userDelete(String name) {
    if (enabled && name.equals(ROOT)) {
      throw StoreError.INVALID_AUTH_MGMT.exception();
    }
    if (users.remove(name) == null) {
      throw StoreError.USER_NOT_FOUND.exception();
    }
    revision++;
    tokens.invalidateUser(name);
  }

  public void changePassword(String name, String passwordHash) {
    User u = user(name);
    users.put(name, new User(name, passwordHash, u.roles()));
    revision++;
    tokens.invalidateUser(name);
  }

  public void grantRole(String name, String role) {
    User u = user(name);
    if (!role.equals(ROOT) && !roles.containsKey(role)) {
      throw StoreError.ROLE_NOT_FOUND.exception();
    }
    if (u.roles().contains(role)) {
      return;
    }
    List<String> granted = new ArrayList<>(u.roles());
    granted.add(role);
    granted.sort(null);
    users.put(name, new User(name, u.passwordHash(), List.copyOf(granted)));
    revision++;
  }

  public void revokeRole(String name, String role) {
    if (enabled && name.equals(ROOT) && role.equals(ROOT)) {
      throw StoreError.INVALID_AUTH_MGMT.exception();
    }
    User u = user(name);
    if (!u.roles().contains(role)) {
      throw StoreError.ROLE_NOT_GRANTED.exception();
    }
    users.put(name, withoutRole(u, role));
    revision++;
  }

  public void roleAdd(String name) {
    if (name.isEmpty()) {
      throw StoreError.ROLE_EMPTY.exception();
    }
    if (roles.containsKey(name)) {
      throw StoreError.ROLE_ALREADY_EXIST.exception();
    }
    roles.put(name, new Role(name, List.of()));
    revision++;
  }

  /** Deletes the role and takes it from every user that had it. */
  public void roleDelete(String name) {
    if (enabled && name.equals(ROOT)) {
      throw StoreError.INVALID_AUTH_MGMT.exception();
    }
    if (roles.remove(name) == null) {
      throw StoreError.ROLE_NOT_FOUND.exception();
    }
    for (User u : users.values()) {
      if (u.roles().contains(name)) {
        users.put(u.name(), withoutRole(u, name));
      }
    }
    revision++;
  }

  /** Grants a permission, or changes the type of the one on the same keys. */
  public void grantPermission(String role, Permission permission) {
    Role r = role(role);
    List<Permission> perms = new ArrayList<>(r.permissions());
    perms.removeIf(p -> sameKeys(p, permission.getKey(), permission.getRangeEnd()));
    perms.add(permission);
    perms.sort(Comparator.comparing(Permission::getKey,
        ByteString.unsignedLexicographicalComparator()));
    roles.put(role, new Role(role, List.copyOf(perms)));
    revision++;
  }

  public void revokePermission(String role, ByteString key, ByteString rangeEnd) {
    Role r = role(role);
    List<Permission> perms = new ArrayList<>(r.permissions());
    if (!perms.removeIf(p -> sameKeys(p, key, rangeEnd))) {
      throw StoreError.PERMISSION_NOT_GRANTED.exception();
    }
    roles.put(role, new Role(role, List.copyOf(perms)));
    revision++;
  }

  // ---- queries ------------------------------------------------------------------------------

  public User user(String name) {
    User u = users.get(name);
    if (u == null) {
      throw StoreError.USER_NOT_FOUND.exception();
    }
    return u;
  }

  public Role role(String name) {
    Role r = roles.get(name);
    if (r == null) {
      throw StoreError.ROLE_NOT_FOUND.exception();
    }
    return r;
  }

  public List<String> userNames() {
    return List.copyOf(users.keySet());
  }

  public List<String> roleNames() {
    return List.copyOf(roles.keySet());
  }

  public boolean hasRole(String user, String role) {
    User u = users.get(user);
    return u != null && u.roles().contains(role);
  }

  /**
   * Checks a password; answers the auth revision it was checked at.
   *
   * @throws io.keel.store.mvcc.MvccException AUTH_NOT_ENABLED, or AUTH_FAILED for an unknown user
   *     or a wrong password
   */
  public long checkPassword(String name, String password) {
    if (!enabled) {
      throw StoreError.AUTH_NOT_ENABLED.exception();
    }
    long checkedAt = revision;
    User u = users.get(name);
    if (u == null || !Passwords.matches(password, u.passwordHash())) {
      throw StoreError.AUTH_FAILED.exception();
    }
    return checkedAt;
  }

  /** etcd's IsAdminPermitted: auth off, or a user holding the root role. */
  public void checkAdmin(Caller caller) {
    if (!enabled || caller.internal()) {
      return;
    }
    if (caller.user().isEmpty()) {
      throw StoreError.USER_EMPTY.exception();
    }
    if (!user(caller.user()).isRoot()) {
      throw StoreError.PERMISSION_DENIED.exception();
    }
  }

  public boolean isAdmin(Caller caller) {
    if (!enabled || caller.internal()) {
      return true;
    }
    User u = users.get(caller.user());
    return u != null && u.isRoot();
  }

  /**
   * etcd's isOpPermitted: may the caller read ({@code READ}) or write ({@code WRITE}) the key, or
   * the range when {@code rangeEnd} is not empty.
   */
  public void checkKeys(Caller caller, Permission.Type type, ByteString key, ByteString rangeEnd) {
    if (!enabled || caller.internal()) {
      return;
    }
    if (caller.authRevision() == 0) {
      throw StoreError.USER_EMPTY.exception();
    }
    if (caller.authRevision() < revision) {
      throw StoreError.AUTH_OLD_REVISION.exception();
    }
    User u = users.get(caller.user());
    if (u == null) {
      throw StoreError.PERMISSION_DENIED.exception();
    }
    if (u.isRoot()) {
      return;
    }
    List<Permission> merged = new ArrayList<>();
    for (String roleName : u.roles()) {
      Role r = roles.get(roleName);
      if (r != null) {
        merged.addAll(r.permissions());
      }
    }
    if (!KeyPermissions.allows(merged, type, key, rangeEnd)) {
      throw StoreError.PERMISSION_DENIED.exception();
    }
  }

  /** The caller a token stands for, at the current auth revision. */
  public Optional<Caller> callerOf(String token) {
    return tokens.userOf(token).map(user -> new Caller(user, revision));
  }

  // ---- snapshots ----------------------------------------------------------------------------

  public State capture() {
    return new State(enabled, revision, List.copyOf(users.values()),
        List.copyOf(roles.values()));
  }

  public void restore(State state) {
    users.clear();
    roles.clear();
    state.users().forEach(u -> users.put(u.name(), u));
    state.roles().forEach(r -> roles.put(r.name(), r));
    enabled = state.enabled();
    revision = state.revision();
    tokens.clear();
  }

  private static User withoutRole(User u, String role) {
    List<String> kept = new ArrayList<>(u.roles());
    kept.remove(role);
    return new User(u.name(), u.passwordHash(), List.copyOf(kept));
  }

  private static boolean sameKeys(Permission p, ByteString key, ByteString rangeEnd) {
    return p.getKey().equals(key) && p.getRangeEnd().equals(rangeEnd);
  }
}
