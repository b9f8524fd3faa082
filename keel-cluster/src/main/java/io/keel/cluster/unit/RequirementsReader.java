package io.keel.cluster.unit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@link Requirements} from an {@code [X-Fleet]} section; see {@link Requirements#of}. */
final class RequirementsReader {

    static final String MACHINE_ID = "MachineID";
    static final String MACHINE_OF = "MachineOf";
    static final String MACHINE_METADATA = "MachineMetadata";
    static final String CONFLICTS = "Conflicts";
    static final String GLOBAL = "Global";
    static final String REPLACES = "Replaces";
    static final String CPU = "CPU";
    static final String MEMORY = "Memory";
    static final String SPREAD = "Spread";

    /** fleet's deprecated spellings (accepted by fleet up to its last release). */
    static final String LEGACY_MACHINE_ID = "X-ConditionMachineID";
    static final String LEGACY_MACHINE_BOOT_ID = "X-ConditionMachineBootID";
    static final String LEGACY_MACHINE_OF = "X-ConditionMachineOf";
    static final String LEGACY_MACHINE_METADATA = "X-ConditionMachineMetadata";
    static final String LEGACY_CONFLICTS = "X-Conflicts";

    static final Set<String> KNOWN_KEYS = Set.of(MACHINE_ID, MACHINE_OF, MACHINE_METADATA, CONFLICTS, GLOBAL,
            REPLACES, CPU, MEMORY, SPREAD, LEGACY_MACHINE_ID, LEGACY_MACHINE_BOOT_ID, LEGACY_MACHINE_OF,
            LEGACY_MACHINE_METADATA, LEGACY_CONFLICTS);

    private static final Set<String> TRUE = Set.of("true", "yes", "1", "on", "t");
    private static final Set<String> FALSE = Set.of("false", "no", "0", "off", "f");

    private RequirementsReader() {
    }

    static Requirements read(UnitName name, UnitFile file) {
        rejectUnknownKeys(file);
        Optional<String> machineId = machineId(name, file);
        List<String> machineOf = machineOf(name, file);
        Map<String, List<String>> metadata = metadata(name, file);
        List<String> conflicts = globs(CONFLICTS, XFleetValues.list(file, name, LEGACY_CONFLICTS, CONFLICTS));
        List<String> replaces = globs(REPLACES, XFleetValues.list(file, name, REPLACES));
        boolean global = global(name, file);
        long cpu = quantity(CPU, XFleetValues.single(file, name, CPU), true);
        long memory = quantity(MEMORY, XFleetValues.single(file, name, MEMORY), false);
        Optional<String> spread = spread(name, file);
        Requirements requirements =
                new Requirements(machineId, machineOf, metadata, conflicts, global, replaces, cpu, memory, spread);
        checkConsistent(name, requirements);
        return requirements;
    }

    private static void rejectUnknownKeys(UnitFile file) {
        for (UnitOption option : file.options()) {
            if (option.section().equals(Requirements.SECTION) && !KNOWN_KEYS.contains(option.name())) {
                throw new UnitFileException("unknown key " + option.name() + "= in [X-Fleet] (known: MachineID, "
                        + "MachineOf, MachineMetadata, Conflicts, Global, Replaces, CPU, Memory, Spread)");
            }
        }
    }

    /** fleet: the first value of MachineID, else X-ConditionMachineID, else X-ConditionMachineBootID. */
    private static Optional<String> machineId(UnitName name, UnitFile file) {
        for (String key : List.of(MACHINE_ID, LEGACY_MACHINE_ID, LEGACY_MACHINE_BOOT_ID)) {
            List<String> ids = XFleetValues.list(file, name, key);
            if (ids.isEmpty()) {
                continue;
            }
            if (new LinkedHashSet<>(ids).size() > 1) {
                throw new UnitFileException(key + " names more than one machine: " + String.join(", ", ids));
            }
            return Optional.of(ids.get(0));
        }
        return Optional.empty();
    }

    private static List<String> machineOf(UnitName name, UnitFile file) {
        Set<String> peers = new LinkedHashSet<>();
        for (String peer : XFleetValues.list(file, name, LEGACY_MACHINE_OF, MACHINE_OF)) {
            UnitName peerName;
            try {
                peerName = UnitName.parse(peer);
            } catch (UnitFileException e) {
                throw new UnitFileException(MACHINE_OF + "=" + peer + ": " + e.getMessage());
            }
            if (peerName.isTemplate()) {
                throw new UnitFileException(MACHINE_OF + "=" + peer
                        + " names a template, which never runs; name an instance");
            }
            if (peerName.equals(name)) {
                throw new UnitFileException(MACHINE_OF + "=" + peer + " names the unit itself");
            }
            peers.add(peer);
        }
        return List.copyOf(peers);
    }

    private static Map<String, List<String>> metadata(UnitName name, UnitFile file) {
        Map<String, List<String>> metadata = new LinkedHashMap<>();
        for (String pair : XFleetValues.list(file, name, LEGACY_MACHINE_METADATA, MACHINE_METADATA)) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1 || pair.indexOf('=', eq + 1) >= 0) {
                throw new UnitFileException(MACHINE_METADATA + "=" + pair + " is not of the form key=value");
            }
            List<String> values = metadata.computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>());
            String value = pair.substring(eq + 1);
            if (!values.contains(value)) {
                values.add(value);
            }
        }
        return metadata;
    }

    private static List<String> globs(String key, List<String> patterns) {
        for (String pattern : patterns) {
            try {
                Glob.compile(pattern);
            } catch (UnitFileException e) {
                throw new UnitFileException(key + "=" + pattern + ": " + e.getMessage());
            }
        }
        return List.copyOf(new LinkedHashSet<>(patterns));
    }

    private static boolean global(UnitName name, UnitFile file) {
        String value = XFleetValues.single(file, name, GLOBAL);
        if (value == null) {
            return false;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) {
            return true;
        }
        if (FALSE.contains(lower)) {
            return false;
        }
        throw new UnitFileException(GLOBAL + "=" + value + " is not a boolean (true/false, yes/no, 1/0, on/off)");
    }

    private static long quantity(String key, String value, boolean cpu) {
        if (value == null) {
            return 0;
        }
        try {
            return cpu ? Quantities.parseCpuMillis(value) : Quantities.parseBytes(value);
        } catch (IllegalArgumentException e) {
            throw new UnitFileException(key + "=" + value + ": " + e.getMessage());
        }
    }

    private static Optional<String> spread(UnitName name, UnitFile file) {
        String key = XFleetValues.single(file, name, SPREAD);
        if (key == null) {
            return Optional.empty();
        }
        if (key.contains("=")) {
            throw new UnitFileException(SPREAD + "=" + key + " must name a metadata key (such as rack), not key=value");
        }
        return Optional.of(key);
    }

    private static void checkConsistent(UnitName name, Requirements r) {
        if (r.global()) {
            List<String> others = new ArrayList<>();
            r.machineId().ifPresent(id -> others.add(MACHINE_ID));
            if (!r.machineOf().isEmpty()) {
                others.add(MACHINE_OF);
            }
            if (!r.conflicts().isEmpty()) {
                others.add(CONFLICTS);
            }
            if (!r.replaces().isEmpty()) {
                others.add(REPLACES);
            }
            r.spread().ifPresent(s -> others.add(SPREAD));
            if (!others.isEmpty()) {
                throw new UnitFileException("Global=true cannot be combined with " + String.join(", ", others)
                        + " (a global unit may only use MachineMetadata, CPU and Memory)");
            }
        }
        if (r.spread().isPresent()) {
            if (!name.isInstance() && !name.isTemplate()) {
                throw new UnitFileException(SPREAD + "=" + r.spread().get()
                        + " applies to instances of a template (name@instance.service), and "
                        + name + " is not one");
            }
            if (!r.machineOf().isEmpty()) {
                throw new UnitFileException(SPREAD + " cannot be combined with MachineOf (the unit goes where "
                        + r.machineOf().get(0) + " is)");
            }
        }
        for (String peer : r.machineOf()) {
            for (String pattern : r.conflicts()) {
                if (Glob.compile(pattern).matches(peer)) {
                    throw new UnitFileException("MachineOf=" + peer + " contradicts Conflicts=" + pattern);
                }
            }
            for (String pattern : r.replaces()) {
                if (Glob.compile(pattern).matches(peer)) {
                    throw new UnitFileException("MachineOf=" + peer + " contradicts Replaces=" + pattern);
                }
            }
        }
    }
}
