package io.keel.cli.discovery;

/**
 * etcd v3 discovery's key layout on the discovery service: the size under
 * {@code /_etcd/registry/<token>/_config/size}, each member under
 * {@code /_etcd/registry/<token>/members/<member id in hex>}.
 */
public final class DiscoveryKeys {
  public static final String PREFIX = "/_etcd/registry";

  private DiscoveryKeys() {}

  /** Refuses a token that is empty or would not be one path segment of the registry keys. */
  public static String checkToken(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("--discovery-token must not be empty");
    }
    if (token.contains("/")) {
      throw new IllegalArgumentException("--discovery-token '" + token
          + "' must not contain '/' (it is one segment of the key " + sizeKey("<token>") + ")");
    }
    if (!token.strip().equals(token)) {
      throw new IllegalArgumentException(
          "--discovery-token '" + token + "' must not start or end with white space");
    }
    return token;
  }

  public static String sizeKey(String token) {
    return PREFIX + "/" + token + "/_config/size";
  }

  /** Every member key starts with this; the trailing {@code /} keeps token "a" from "ab". */
  public static String membersPrefix(String token) {
    return PREFIX + "/" + token + "/members/";
  }

  /** etcd's member key: the id in lower-case hex without leading zeros (etcd's types.ID). */
  public static String memberKey(String token, long memberId) {
    return membersPrefix(token) + Long.toHexString(memberId);
  }

  /**
   * The cluster size stored under the size key.
   *
   * @param value the stored value, or null when the key does not exist
   */
  public static int parseSize(String token, String value) {
    if (value == null) {
      throw new DiscoveryException("discovery: size key not found: " + sizeKey(token)
          + " does not exist on the discovery service; set it before starting members, e.g."
          + " etcdctl put " + sizeKey(token) + " 3");
    }
    int size;
    try {
      size = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      size = 0;
    }
    if (size <= 0) {
      throw new DiscoveryException("discovery: size key is bad: " + sizeKey(token) + " holds '"
          + value + "', not a positive integer");
    }
    return size;
  }
}
