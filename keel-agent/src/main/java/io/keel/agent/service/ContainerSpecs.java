package io.keel.agent.service;

import io.keel.cluster.unit.Quantities;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitFileException;
import io.keel.cluster.unit.UnitOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a unit's {@code [Container]} section into a {@link ContainerSpec}. */
public final class ContainerSpecs {

    public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(30);

    private static final String S = ServiceSpec.CONTAINER;
    private static final Set<String> KEYS = Set.of("Image", "Exec", "Environment", "Volume", "Tmpfs", "ReadOnly",
            "Memory", "CPU", "Network", "HealthCmd", "HealthInterval");
    private static final Set<String> VOLUME_OPTIONS = Set.of("ro", "rw", "z", "Z", "shared", "slave", "private",
            "rshared", "rslave", "rprivate", "nocopy", "U");
    private static final Pattern VOLUME_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private ContainerSpecs() {
    }

    /**
     * Parses the {@code [Container]} section. Unknown keys are refused naming the key.
     *
     * @throws UnitFileException naming the key and the problem
     */
    public static ContainerSpec parse(UnitFile file) {
        for (UnitOption option : file.options()) {
            if (option.section().equals(S) && !KEYS.contains(option.name())) {
                if (option.name().equals("PublishPort")) {
                    throw new UnitFileException("[Container] PublishPort= is not supported: containers use the"
                            + " host network, so their ports are the machine's ports");
                }
                throw new UnitFileException("[Container] unknown key " + option.name() + "=");
            }
        }
        String image = file.value(S, "Image").map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new UnitFileException("[Container] Image= is required"));
        List<String> exec = file.value(S, "Exec").map(v -> {
            try {
                return ExecLines.words(v);
            } catch (IllegalArgumentException e) {
                throw new UnitFileException("[Container] Exec=" + v + ": " + e.getMessage());
            }
        }).orElse(List.of());
        List<String> volumes = new ArrayList<>();
        for (String v : file.values(S, "Volume")) {
            volumes.add(volume(v.strip()));
        }
        List<String> tmpfs = new ArrayList<>();
        for (String t : file.values(S, "Tmpfs")) {
            String path = t.strip();
            int colon = path.indexOf(':');
            String dest = colon < 0 ? path : path.substring(0, colon);
            if (!dest.startsWith("/")) {
                throw new UnitFileException("[Container] Tmpfs=" + t + ": the path must be absolute");
            }
            tmpfs.add(path);
        }
        boolean readOnly = file.value(S, "ReadOnly").map(v -> ServiceSpec.bool(S, "ReadOnly", v)).orElse(false);
        long memory = file.value(S, "Memory").map(v -> {
            try {
                return Quantities.parseBytes(v);
            } catch (IllegalArgumentException e) {
                throw new UnitFileException("[Container] Memory=" + v + ": " + e.getMessage());
            }
        }).orElse(0L);
        long cpu = file.value(S, "CPU").map(v -> {
            try {
                return Quantities.parseCpuMillis(v);
            } catch (IllegalArgumentException e) {
                throw new UnitFileException("[Container] CPU=" + v + ": " + e.getMessage());
            }
        }).orElse(0L);
        String network = file.value(S, "Network").map(String::strip).orElse(ContainerSpec.NETWORK_HOST);
        if (!network.equals(ContainerSpec.NETWORK_HOST) && !network.equals(ContainerSpec.NETWORK_NONE)) {
            throw new UnitFileException("[Container] Network=" + network + " is not supported: only host or none,"
                    + " because the Keel engine runs without a bridge network");
        }
        Optional<String> health = file.value(S, "HealthCmd").map(String::strip).filter(s -> !s.isEmpty());
        Duration interval = ServiceSpec.span(file, S, "HealthInterval", false).orElse(DEFAULT_HEALTH_INTERVAL);
        if (interval.isZero()) {
            throw new UnitFileException("[Container] HealthInterval= must be greater than zero");
        }
        return new ContainerSpec(image, exec, ServiceSpec.environment(file, S), volumes, tmpfs, readOnly, memory, cpu,
                network, health, interval);
    }

    private static String volume(String v) {
        String[] parts = v.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new UnitFileException("[Container] Volume=" + v + ": expected SOURCE:DEST[:OPTIONS]");
        }
        String source = parts[0];
        if (source.isEmpty() || (!source.startsWith("/") && !VOLUME_NAME.matcher(source).matches())) {
            throw new UnitFileException("[Container] Volume=" + v
                    + ": SOURCE must be an absolute host path or a volume name");
        }
        if (!parts[1].startsWith("/")) {
            throw new UnitFileException("[Container] Volume=" + v + ": DEST \"" + parts[1] + "\" must be absolute");
        }
        if (parts.length == 3) {
            for (String option : parts[2].split(",", -1)) {
                if (!VOLUME_OPTIONS.contains(option)) {
                    throw new UnitFileException("[Container] Volume=" + v + ": unknown option \"" + option
                            + "\" (ro, rw, z, Z, shared, slave, private, rshared, rslave, rprivate, nocopy, U)");
                }
            }
        }
        return v;
    }
}
