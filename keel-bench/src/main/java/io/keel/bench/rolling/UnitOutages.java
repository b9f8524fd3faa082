package io.keel.bench.rolling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-unit availability from what the store says: a unit is available while at least one machine
 * reports it {@code launched} ({@code /keel/state/<unit>/<machine>}). An outage opens when the
 * machine running it starts to reboot ({@link #machineLeaving}; or, failing that, when its last
 * running report disappears) and closes when any machine reports it launched again. The time the
 * engine placed it elsewhere ({@code /keel/schedule/<unit>} naming another machine) is recorded too.
 *
 * <p>Times are {@link System#nanoTime()} values supplied by the caller; all methods are synchronized
 * (the store watch and the reboot threads both feed it).
 */
public final class UnitOutages {

  /** One closed outage: down for {@code downNanos}, placed elsewhere after {@code rescheduleNanos} (-1: never). */
  public record Outage(String unit, String machine, long downNanos, long rescheduleNanos) {}

  private static final class Open {
    final String machine;
    final long since;
    long rescheduledAt = -1;

    Open(String machine, long since) {
      this.machine = machine;
      this.since = since;
    }
  }

  private final Map<String, Set<String>> running = new HashMap<>();
  private final Map<String, Open> open = new HashMap<>();
  private final List<Outage> closed = new ArrayList<>();
  private final Set<String> known = new HashSet<>();

  /** A unit exists (it counts as not yet running until reported launched). */
  public synchronized void unit(String unit) {
    known.add(unit);
  }

  /** {@code machine} reports {@code unit} in {@code jobState} ({@code null}: its report was removed). */
  public synchronized void state(String unit, String machine, String jobState, long now) {
    known.add(unit);
    Set<String> on = running.computeIfAbsent(unit, u -> new HashSet<>());
    if ("launched".equals(jobState)) {
      on.add(machine);
      Open o = open.remove(unit);
      if (o != null) {
        closed.add(new Outage(unit, o.machine, now - o.since, o.rescheduledAt < 0 ? -1 : o.rescheduledAt - o.since));
      }
    } else if (on.remove(machine) && on.isEmpty() && !open.containsKey(unit)) {
      open.put(unit, new Open(machine, now));
    }
  }

  /** The engine placed {@code unit} on {@code machine}. */
  public synchronized void scheduled(String unit, String machine, long now) {
    Open o = open.get(unit);
    if (o != null && o.rescheduledAt < 0 && !machine.equals(o.machine)) {
      o.rescheduledAt = now;
    }
  }

  /** {@code machine} is about to go down: every unit only it runs is unavailable from {@code now}. */
  public synchronized void machineLeaving(String machine, long now) {
    running.forEach((unit, on) -> {
      if (on.size() == 1 && on.contains(machine) && !open.containsKey(unit)) {
        open.put(unit, new Open(machine, now));
      }
    });
  }

  /** Units known and not reported launched anywhere. */
  public synchronized int unavailable() {
    int n = 0;
    for (String unit : known) {
      Set<String> on = running.get(unit);
      if (on == null || on.isEmpty()) {
        n++;
      }
    }
    return n;
  }

  public synchronized int openOutages() {
    return open.size();
  }

  public synchronized List<Outage> outages() {
    return List.copyOf(closed);
  }

  public synchronized void clearOutages() {
    closed.clear();
  }

  /** Nearest-rank percentile (0..100) of {@code values} (need not be sorted); 0 for none. */
  public static long percentile(long[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
