package io.keel.cli.fleet;

import io.keel.api.Schema;
import io.keel.cluster.unit.JobState;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The verbs that move units between job states and wait for them to get there (fleetctl's
 * {@code --no-block} and {@code --block-attempts}), and the unit creation that {@code submit},
 * {@code load} and {@code start} share (fleetctl's lazyCreateUnits).
 */
abstract class StateVerb extends FleetVerb {
  /** fleetctl polls every half second. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(500);

  @Parameters(paramLabel = "UNIT", description = "Unit names, or paths of local unit files.")
  List<String> units = new ArrayList<>();

  @Option(names = "--no-block",
      description = "Do not wait until the units reach their state before exiting. Always the case for global units.")
  boolean noBlock;

  @Option(names = "--block-attempts", defaultValue = "0",
      description = "Wait for the units, polling up to N times before giving up; 0 means no limit (default: ${DEFAULT-VALUE}).")
  int blockAttempts;

  /** fleetctl's getBlockAttempts: -1 don't wait, 0 forever, N attempts. */
  int attempts() {
    if (blockAttempts < 0) {
      throw new IllegalArgumentException("--block-attempts must not be negative");
    }
    return noBlock ? -1 : blockAttempts;
  }

  /**
   * Waits until every unit reports {@code state} (printing "Unit NAME STATE on MACHINE" as each
   * does), or prints "Triggered unit NAME VERB" without waiting. Returns the exit status.
   */
  int waitFor(List<String> names, String verb, JobState state) {
    int attempts = attempts();
    if (attempts < 0) {
      names.forEach(n -> stdout("Triggered unit " + n + " " + verb));
      return 0;
    }
    Set<String> pending = new LinkedHashSet<>(names);
    for (int attempt = 0; !pending.isEmpty(); attempt++) {
      for (String name : List.copyOf(pending)) {
        Optional<Schema.Unit> unit = client().unit(name);
        boolean onMachine = unit.isPresent() && unit.get().machineID() != null && !unit.get().machineID().isEmpty();
        // inactive means off every machine: the agent may unload before the engine unschedules
        if (unit.isPresent() && state.wireName().equals(unit.get().currentState())
            && (state != JobState.INACTIVE || !onMachine)) {
          String machine = unit.get().machineID();
          stdout("Unit " + name + " " + state.wireName()
              + (machine == null || machine.isEmpty() ? "" : " on " + machineLegend(machine, false)));
          pending.remove(name);
        } else if (unit.isEmpty() && state == JobState.INACTIVE) {
          pending.remove(name);
        }
      }
      if (pending.isEmpty() || attempts > 0 && attempt + 1 >= attempts) {
        break;
      }
      LockSupport.parkNanos(POLL_INTERVAL.toNanos());
    }
    for (String name : pending) {
      stderr("Error waiting for units: timed out waiting for unit " + name + " to report state " + state.wireName());
    }
    return pending.isEmpty() ? 0 : 1;
  }

  /** Sets the desired state of every unit not already there; returns the units changed. */
  List<Schema.Unit> setTargetState(List<String> names, JobState state) {
    List<Schema.Unit> triggered = new ArrayList<>();
    for (String name : names) {
      Schema.Unit unit = client().unit(name)
          .orElseThrow(() -> new IllegalArgumentException("unable to find unit " + name));
      if (state.wireName().equals(unit.desiredState())) {
        continue;
      }
      client().setDesiredState(name, state.wireName());
      triggered.add(unit);
    }
    return triggered;
  }

  /** Refuses templates before anything is changed: only their instances can be loaded or started. */
  void rejectTemplates(String verb) {
    for (String arg : units) {
      UnitName name = UnitName.parse(mangle(arg));
      if (name.isTemplate()) {
        throw new IllegalArgumentException("unit " + name + " is a template: " + verb + " an instance of it, such as "
            + name.prefix() + "@1." + name.suffix());
      }
    }
  }

  /** Moves the named units to {@code state} and waits as fleetctl does; the exit status. */
  int trigger(List<String> names, JobState state, String verb) {
    List<String> waiting = new ArrayList<>();
    for (Schema.Unit unit : setTargetState(names, state)) {
      if (isGlobal(unit)) {
        stdout("Triggered global unit " + unit.name() + " " + verb);
      } else {
        waiting.add(unit.name());
      }
    }
    return waitFor(waiting, verb, state);
  }

  /**
   * Makes sure every unit named exists in the cluster, creating it from the local file of that name,
   * or for an instance, from its template in the cluster or next to the file (fleetctl's
   * lazyCreateUnits). With {@code replace}, a unit whose local file differs is replaced by it if its
   * desired state is one of {@code replaceable}. Returns the mangled names.
   */
  List<String> createUnits(boolean replace, Set<JobState> replaceable) {
    if (units.isEmpty()) {
      throw new IllegalArgumentException("No units given");
    }
    for (String arg : units) {
      UnitName.parse(mangle(arg));
    }
    List<String> names = new ArrayList<>();
    for (String arg : units) {
      String file = withType(arg);
      String name = mangle(arg);
      UnitName unitName = UnitName.parse(name);
      names.add(name);
      Optional<Schema.Unit> existing = client().unit(name);
      if (existing.isPresent()) {
        Optional<UnitFile> local = localFile(file, unitName);
        UnitFile stored = UnitFile.of(existing.get().options() == null ? List.of() : existing.get().options());
        if (local.isPresent() && !local.get().hash().equals(stored.hash())) {
          if (!replace) {
            stderr("WARNING: Unit " + name + " in registry differs from local unit file " + file
                + ". Add --replace to override.");
          } else if (replaceable.contains(JobState.parse(existing.get().desiredState()))) {
            client().replaceUnit(name, local.get().options());
          } else {
            stderr("Warning: can not replace Unit(" + name + ") in state '" + existing.get().desiredState()
                + "', use the appropriate command");
          }
        }
        continue;
      }
      UnitFile unitFile = newUnitFile(file, unitName);
      client().createUnit(name, unitFile.options(), null);
    }
    return names;
  }

  /** The unit's own local file, or for an instance without one, the template next to where it would be. */
  private static Optional<UnitFile> localFile(String file, UnitName name) {
    Path path = Path.of(file);
    if (Files.exists(path)) {
      return Optional.of(readUnitFile(path));
    }
    if (name.isInstance() && Files.exists(siblingTemplate(path, name))) {
      return Optional.of(readUnitFile(siblingTemplate(path, name)));
    }
    return Optional.empty();
  }

  /** A new unit's file: the local file, else the template in the cluster, else the template on disk. */
  private UnitFile newUnitFile(String file, UnitName name) {
    Path path = Path.of(file);
    if (Files.exists(path)) {
      return readUnitFile(path);
    }
    if (!name.isInstance()) {
      throw new IllegalArgumentException("unable to find unit " + name + " in the cluster or on the filesystem ("
          + path.toAbsolutePath() + " does not exist)");
    }
    String template = name.template().orElseThrow().value();
    Optional<Schema.Unit> inCluster = client().unit(template);
    if (inCluster.isPresent()) {
      return UnitFile.of(inCluster.get().options() == null ? List.of() : inCluster.get().options());
    }
    if (Files.exists(siblingTemplate(path, name))) {
      return readUnitFile(siblingTemplate(path, name));
    }
    throw new IllegalArgumentException("unable to find unit " + name + " or its template " + template
        + " in the cluster or on the filesystem");
  }

  private static Path siblingTemplate(Path file, UnitName name) {
    String template = name.template().orElseThrow().value();
    Path dir = file.getParent();
    return dir == null ? Path.of(template) : dir.resolve(template);
  }
}
