package io.keel.cli.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.keel.api.Schema;
import io.keel.api.client.FleetClient;
import io.keel.cluster.unit.Requirements;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitFileException;
import io.keel.cluster.unit.UnitName;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * What fleetctl's verbs share: the API client, output streams, machine legends, unit name
 * mangling and local unit files. Errors are thrown as exceptions whose message is the one line the
 * {@code keel} command prints on stderr before exiting non-zero.
 */
public abstract class FleetVerb implements Callable<Integer> {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Mixin
  EndpointOptions endpoint = new EndpointOptions();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private FleetClient client;
  private Map<String, Schema.Machine> machines;

  FleetClient client() {
    if (client == null) {
      client = endpoint.client();
    }
    return client;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  void stdout(String line) {
    out().println(line);
    out().flush();
  }

  void stderr(String line) {
    err().println(line);
    err().flush();
  }

  void printJson(Object value) {
    try {
      out().println(JSON.writeValueAsString(value));
      out().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Machines by id, fetched once per invocation (fleetctl's cachedMachineState). */
  Optional<Schema.Machine> machine(String id) {
    if (machines == null) {
      machines = new HashMap<>();
      try {
        client().machines().forEach(m -> machines.put(m.id(), m));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(machines.get(id));
  }

  /** fleetctl's machineIDLegend: the id, or its first 8 characters and "..." unless full. */
  static String idLegend(String id, boolean full) {
    return full ? id : (id.length() <= 8 ? id : id.substring(0, 8)) + "...";
  }

  /** fleetctl's machineFullLegend: the id legend, then "/" and the machine's IP if known. */
  String machineLegend(String id, boolean full) {
    String legend = idLegend(id, full);
    String ip = machine(id).map(Schema.Machine::primaryIP).orElse("");
    return ip.isEmpty() ? legend : legend + "/" + ip;
  }

  /** fleetctl's unitNameMangle: the file's base name, with ".service" added if it has no unit type. */
  public static String mangle(String arg) {
    String base = Path.of(arg).getFileName() == null ? arg : Path.of(arg).getFileName().toString();
    int dot = base.lastIndexOf('.');
    if (dot < 0 || !UnitName.SUFFIXES.contains(base.substring(dot + 1))) {
      return base + ".service";
    }
    return base;
  }

  /** {@code arg} with ".service" appended if it names no unit type (so "web" finds "web.service"). */
  static String withType(String arg) {
    String base = mangle(arg);
    String given = Path.of(arg).getFileName() == null ? arg : Path.of(arg).getFileName().toString();
    return base.equals(given) ? arg : arg + ".service";
  }

  static UnitFile readUnitFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read unit file " + file + ": " + e.getMessage());
    }
    try {
      return UnitFile.parse(text);
    } catch (UnitFileException e) {
      throw new IllegalArgumentException("unit file " + file + ": " + e.getMessage());
    }
  }

  /** Whether a unit's options make it Global (a unit that cannot be read is not). */
  static boolean isGlobal(Schema.Unit unit) {
    try {
      return Requirements.of(UnitName.parse(unit.name()), UnitFile.of(unit.options() == null ? List.of()
          : unit.options())).global();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The units named by {@code args} (mangled), all of which must exist: nothing is changed otherwise. */
  List<Schema.Unit> findUnits(List<String> args) {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("No units given");
    }
    Map<String, Schema.Unit> all = new HashMap<>();
    client().units().forEach(u -> all.put(u.name(), u));
    List<Schema.Unit> found = new java.util.ArrayList<>();
    for (String arg : args) {
      String name = mangle(arg);
      Schema.Unit unit = all.get(name);
      if (unit == null) {
        throw new IllegalArgumentException("unit " + name + " does not exist in the cluster");
      }
      found.add(unit);
    }
    return found;
  }
}
