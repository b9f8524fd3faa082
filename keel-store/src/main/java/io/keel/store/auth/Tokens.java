package io.keel.store.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * etcd's simple tokens on one member: each maps to a user until it has not been used for the
 * TTL (etcd's {@code --auth-token-ttl}, 300 s). Not replicated: every member learns a token when
 * it applies the {@code AUTHENTICATE} entry that issued it, and a restarted member knows only the
 * tokens in the log it replays (clients then authenticate again, as with etcd).
 */
public final class Tokens {
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong ISSUED = new AtomicLong();

  private record Holder(String user, Instant expires) {}

  private final Map<String, Holder> byToken = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;

  public Tokens(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  /** A new token in etcd's shape: 16 random letters, a dot, a number. */
  public static String newToken() {
    StringBuilder s = new StringBuilder(24);
    for (int i = 0; i < 16; i++) {
      s.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
    }
    return s.append('.').append(ISSUED.incrementAndGet()).toString();
  }

  void assign(String token, String user) {
    Instant now = clock.instant();
    byToken.values().removeIf(h -> h.expires().isBefore(now));
    byToken.put(token, new Holder(user, now.plus(ttl)));
  }

  /** The user a live token belongs to; using it starts its TTL again. */
  public Optional<String> userOf(String token) {
    Instant now = clock.instant();
    Holder h = byToken.get(token);
    if (h == null) {
      return Optional.empty();
    }
    if (h.expires().isBefore(now)) {
      byToken.remove(token, h);
      return Optional.empty();
    }
    byToken.replace(token, h, new Holder(h.user(), now.plus(ttl)));
    return Optional.of(h.user());
  }

  void invalidateUser(String user) {
    byToken.values().removeIf(h -> h.user().equals(user));
  }

  void clear() {
    byToken.clear();
  }
}
