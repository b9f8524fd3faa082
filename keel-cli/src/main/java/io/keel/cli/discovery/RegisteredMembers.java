package io.keel.cli.discovery;

import io.keel.store.server.StoreConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The members registered under one token, in create-revision order: the first {@code size} of
 * them form the cluster, as in etcd's v3 discovery. Members that register at the same time may
 * push the count past the size; the later ones are told the cluster is full.
 */
public final class RegisteredMembers {

  /** One member key: {@code value} is {@code name=peer-url[,name=peer-url...]}. */
  public record Registration(String key, String value, long createRevision) {}

  private final String token;
  private final List<Registration> members = new ArrayList<>();

  public RegisteredMembers(String token) {
    this.token = token;
  }

  /**
   * Adds a registration read from (or watched on) the members prefix; returns why it was
   * ignored (a value without {@code =}, a key seen before), or null when it was added.
   */
  public String add(String key, String value, long createRevision) {
    if (!key.startsWith(DiscoveryKeys.membersPrefix(token))) {
      return "not a member key of token " + token + ": " + key;
    }
    if (value.indexOf('=') < 0) {
      return "invalid peer info '" + value + "' under " + key + " (want name=peer-url)";
    }
    if (members.stream().anyMatch(m -> m.key().equals(key))) {
      return "duplicate peer " + key;
    }
    members.add(new Registration(key, value.strip(), createRevision));
    members.sort(Comparator.comparingLong(Registration::createRevision));
    return null;
  }

  public int count() {
    return members.size();
  }

  public List<Registration> all() {
    return List.copyOf(members);
  }

  /**
   * True when {@code size} others registered before {@code selfKey} (or while it is not
   * registered at all): this member is not among the first {@code size}.
   */
  public boolean isFull(String selfKey, int size) {
    for (int i = 0; i < members.size() && i < size; i++) {
      if (members.get(i).key().equals(selfKey)) {
        return false;
      }
    }
    return members.size() >= size;
  }

  /** Throws etcd's "cluster is full" when {@link #isFull}, naming the members that fill it. */
  public void requireRoom(String selfKey, int size) {
    if (isFull(selfKey, size)) {
      throw new DiscoveryException("discovery: cluster is full: token '" + token + "' has size "
          + size + " and its members registered first are " + names(size)
          + "; this member (" + selfKey + ") is not one of them");
    }
  }

  public boolean isComplete(int size) {
    return members.size() >= size;
  }

  /**
   * The first {@code size} registrations as {@code --initial-cluster} takes them, with every
   * URL checked and each name used once.
   */
  public String initialCluster(int size) {
    if (!isComplete(size)) {
      throw new IllegalStateException(members.size() + " of " + size + " members registered");
    }
    Map<String, String> keyByName = new HashMap<>();
    List<String> parts = new ArrayList<>();
    for (Registration r : members.subList(0, size)) {
      Map<String, List<URI>> one;
      try {
        one = StoreConfig.cluster(r.value());
      } catch (IllegalArgumentException e) {
        throw new DiscoveryException("discovery: invalid peer URL under " + r.key() + ": '"
            + r.value() + "' (" + e.getMessage() + ")");
      }
      if (one.size() != 1) {
        throw new DiscoveryException("discovery: invalid peer info under " + r.key() + ": '"
            + r.value() + "' names more than one member");
      }
      String name = one.keySet().iterator().next();
      String other = keyByName.putIfAbsent(name, r.key());
      if (other != null) {
        throw new DiscoveryException("discovery: member name '" + name
            + "' is registered twice, under " + other + " and " + r.key());
      }
      parts.add(r.value());
    }
    return String.join(",", parts);
  }

  private String names(int size) {
    return members.subList(0, Math.min(size, members.size())).stream()
        .map(m -> m.value().substring(0, m.value().indexOf('=')))
        .collect(Collectors.joining(", "));
  }
}
