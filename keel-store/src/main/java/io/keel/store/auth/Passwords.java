package io.keel.store.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes: PBKDF2 with HMAC-SHA256 and a random salt, written as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (Base64). Only hashes reach the Raft log and
 * snapshots. Checking one costs about as much as etcd's bcrypt at its default cost.
 */
public final class Passwords {
  static final int ITERATIONS = 60_000;
  private static final String PREFIX = "pbkdf2-sha256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  public static String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return PREFIX + "$" + ITERATIONS + "$" + b64(salt) + "$"
        + b64(derive(password, salt, ITERATIONS));
  }

  /** Whether {@code password} is the one {@code hash} was made from; false for a malformed hash. */
  public static boolean matches(String password, String hash) {
    String[] parts = hash.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      return iterations > 0
          && MessageDigest.isEqual(expected, derive(password, salt, iterations));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    try {
      var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().withoutPadding().encodeToString(b);
  }

}
