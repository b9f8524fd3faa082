package io.keel.cli.discovery;

/** Discovery could not produce an initial cluster; the message starts with etcd's wording. */
public final class DiscoveryException extends RuntimeException {

  public DiscoveryException(String message) {
    super(message);
  }

  public DiscoveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
