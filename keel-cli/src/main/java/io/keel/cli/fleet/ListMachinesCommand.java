package io.keel.cli.fleet;

import io.keel.api.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keel list-machines}: the machines present in the cluster. */
@Command(name = "list-machines", mixinStandardHelpOptions = true,
    description = "Enumerate the current machines in the cluster.")
public final class ListMachinesCommand extends FleetVerb {
  static final Fields<Schema.Machine> FIELDS = new Fields<>(fields());

  @Mixin
  ListOptions list = new ListOptions();

  @Option(names = "--fields", defaultValue = "machine,ip,metadata",
      description = "Columns to print: machine, ip, metadata, capacity, version (default: ${DEFAULT-VALUE}).")
  String fields;

  private static Map<String, BiFunction<Schema.Machine, Boolean, String>> fields() {
    Map<String, BiFunction<Schema.Machine, Boolean, String>> f = new LinkedHashMap<>();
    f.put("machine", (m, full) -> idLegend(m.id(), full));
    f.put("ip", (m, full) -> m.primaryIP() == null || m.primaryIP().isEmpty() ? "-" : m.primaryIP());
    f.put("metadata", (m, full) -> m.metadata() == null || m.metadata().isEmpty() ? "-"
        : new TreeMap<>(m.metadata()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",")));
    f.put("capacity", (m, full) -> capacity(m.capacity()));
    f.put("version", (m, full) -> m.version() == null || m.version().isEmpty() ? "-" : m.version());
    return f;
  }

  static String capacity(Schema.Capacity c) {
    if (c == null || c.cpuMillis() == 0 && c.memoryBytes() == 0) {
      return "-";
    }
    String cpu = c.cpuMillis() == 0 ? "" : "cpu=" + (c.cpuMillis() % 1000 == 0 ? String.valueOf(c.cpuMillis() / 1000)
        : c.cpuMillis() + "m");
    String memory = c.memoryBytes() == 0 ? "" : "memory=" + bytes(c.memoryBytes());
    return cpu.isEmpty() ? memory : memory.isEmpty() ? cpu : cpu + "," + memory;
  }

  static String bytes(long n) {
    String[] units = {"T", "G", "M", "K"};
    long[] sizes = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
    for (int i = 0; i < units.length; i++) {
      if (n % sizes[i] == 0) {
        return n / sizes[i] + units[i];
      }
    }
    return String.valueOf(n);
  }

  @Override
  public Integer call() {
    boolean json = list.json();
    List<String> columns = FIELDS.parse(fields);
    List<Schema.Machine> machines = client().machines();
    if (json) {
      printJson(machines);
    } else {
      FIELDS.table(columns, machines, list.full, !list.noLegend).print(out());
    }
    return 0;
  }
}
