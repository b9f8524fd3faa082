package io.keel.store.apply;

import io.etcd.jetcd.api.AlarmType;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/** Raised alarms (etcd's NOSPACE, CORRUPT), per member. Replicated state. */
public final class Alarms {
  public record Alarm(long memberId, AlarmType type) {}

  private final Set<Alarm> active = new CopyOnWriteArraySet<>();
  private final long localMember;

  public Alarms(long localMember) {
    this.localMember = localMember;
  }

  public long localMember() {
    return localMember;
  }

  public void activate(long memberId, AlarmType type) {
    active.add(new Alarm(memberId, type));
  }

  public boolean deactivate(long memberId, AlarmType type) {
    return active.remove(new Alarm(memberId, type));
  }

  public boolean isActive(AlarmType type) {
    for (Alarm alarm : active) {
      if (alarm.type() == type) {
        return true;
      }
    }
    return false;
  }

  /** Alarms matching the member (0: any) and type (NONE: any). */
  public List<Alarm> list(long memberId, AlarmType type) {
    return active.stream()
        .filter(a -> memberId == 0 || a.memberId() == memberId)
        .filter(a -> type == AlarmType.NONE || a.type() == type)
        .toList();
  }

  public List<Alarm> all() {
    return List.copyOf(active);
  }

  public void clear() {
    active.clear();
  }
}
