package io.keel.store.auth;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Permission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a user's merged key permissions allow a request, as etcd's range permission cache
 * decides: a single key needs one permission holding it; a range needs the permissions that
 * overlap it to cover it without a gap. A permission without a range end holds one key; a range
 * end of {@code "\0"} reaches past every key.
 */
final class KeyPermissions {
  private static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();
  private static final ByteString NUL = ByteString.copyFrom(new byte[] {0});

  /** [begin, end); a null end lies past every key. */
  private record Interval(ByteString begin, ByteString end) {
    boolean overlaps(Interval o) {
      return before(begin, o.end) && before(o.begin, end);
    }

    boolean contains(ByteString key) {
      return ORDER.compare(begin, key) <= 0 && before(key, end);
    }
  }

  private KeyPermissions() {}

  static boolean allows(List<Permission> permissions, Permission.Type wanted, ByteString key,
      ByteString rangeEnd) {
    List<Interval> held = new ArrayList<>();
    for (Permission p : permissions) {
      if (p.getPermType() == wanted || p.getPermType() == Permission.Type.READWRITE) {
        held.add(p.getRangeEnd().isEmpty()
            ? new Interval(p.getKey(), p.getKey().concat(NUL))
            : new Interval(p.getKey(), openEnded(p.getRangeEnd())));
      }
    }
    if (rangeEnd.isEmpty()) {
      return held.stream().anyMatch(i -> i.contains(key));
    }
    return covers(held, new Interval(key, openEnded(rangeEnd)));
  }

  private static boolean covers(List<Interval> held, Interval wanted) {
    List<Interval> overlapping = new ArrayList<>();
    for (Interval i : held) {
      if (i.overlaps(wanted)) {
        overlapping.add(i);
      }
    }
    if (overlapping.isEmpty()) {
      return false;
    }
    overlapping.sort(Comparator.comparing(Interval::begin, ORDER));
    if (ORDER.compare(overlapping.get(0).begin(), wanted.begin()) > 0) {
      return false;
    }
    ByteString reach = overlapping.get(0).end();
    for (Interval i : overlapping) {
      if (reach != null && ORDER.compare(reach, i.begin()) < 0) {
        return false;
      }
      if (reach != null && (i.end() == null || ORDER.compare(i.end(), reach) > 0)) {
        reach = i.end();
      }
    }
    return reach == null || (wanted.end() != null && ORDER.compare(reach, wanted.end()) >= 0);
  }

  private static ByteString openEnded(ByteString rangeEnd) {
    return rangeEnd.equals(NUL) ? null : rangeEnd;
  }

  /** a < b, where a null b lies past every key (a null a never precedes anything). */
  private static boolean before(ByteString a, ByteString b) {
    if (a == null) {
      return false;
    }
    return b == null || ORDER.compare(a, b) < 0;
  }
}
