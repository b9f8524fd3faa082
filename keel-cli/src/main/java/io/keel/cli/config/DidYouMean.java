package io.keel.cli.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The known key closest to a mistyped one, if any is close enough to be a likely typo. */
final class DidYouMean {
  private DidYouMean() {}

  static Optional<String> suggest(String given, Collection<String> known) {
    String g = normalize(given);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(g, normalize(k));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, Math.min(3, given.length() / 3));
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  private static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
