package io.keel.cluster.node;

import io.keel.cluster.registry.MachineRecord;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses what a node says about its machine: {@code --metadata}, {@code --capacity}, the public IP. */
public final class MachineSpec {

    private static final Pattern QUANTITY = Pattern.compile("(\\d+(?:\\.\\d+)?)([A-Za-z]*)");
    private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_.-]+");

    private MachineSpec() {}

    /** {@code region=us-east,rack=r1} as an ordered map; keys and values are required. */
    public static Map<String, String> parseMetadata(String text) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return metadata;
        }
        for (String pair : text.split(",")) {
            String p = pair.trim();
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException("--metadata entry '" + p + "' is not key=value");
            }
            String key = p.substring(0, eq).trim();
            if (!METADATA_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("--metadata key '" + key + "' may only hold letters, digits and _.-");
            }
            if (metadata.put(key, p.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("--metadata names key '" + key + "' twice");
            }
        }
        return metadata;
    }

    /**
     * {@code cpu=2,memory=4G}: CPU in cores (fractions allowed, or {@code 500m} millicores), memory
     * in bytes with an optional K/M/G/T suffix (powers of 1024; {@code Ki}, {@code Mi}... also taken).
     */
    public static MachineRecord.Capacity parseCapacity(String text) {
        long cpu = 0;
        long memory = 0;
        if (text == null || text.isBlank()) {
            return MachineRecord.Capacity.UNLIMITED;
        }
        for (String pair : text.split(",")) {
            String p = pair.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--capacity entry '" + p + "' is not cpu=N or memory=N");
            }
            String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).trim();
            switch (key) {
                case "cpu" -> cpu = cpuMillis(value);
                case "memory", "mem" -> memory = bytes(value);
                default -> throw new IllegalArgumentException("--capacity key '" + key + "' is unknown (use cpu and memory)");
            }
        }
        return new MachineRecord.Capacity(cpu, memory);
    }

    static long cpuMillis(String value) {
        Matcher m = QUANTITY.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("--capacity cpu '" + value + "' is not a number of cores (2, 0.5, 500m)");
        }
        double n = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "" -> Math.round(n * 1000);
            case "m" -> Math.round(n);
            default -> throw new IllegalArgumentException("--capacity cpu '" + value + "' has an unknown unit (use 2, 0.5 or 500m)");
        };
    }

    static long bytes(String value) {
        Matcher m = QUANTITY.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("--capacity memory '" + value + "' is not a size (512M, 4G)");
        }
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "", "B" -> 1L;
            case "K", "KI", "KB" -> 1L << 10;
            case "M", "MI", "MB" -> 1L << 20;
            case "G", "GI", "GB" -> 1L << 30;
            case "T", "TI", "TB" -> 1L << 40;
            default -> throw new IllegalArgumentException("--capacity memory '" + value + "' has an unknown unit (use K, M, G, T)");
        };
        return Math.round(n * unit);
    }

    /**
     * The first up, non-loopback IPv4 address of this host, as fleet picks its public IP; loopback
     * if there is none. Only looks at local interfaces: nothing is sent.
     */
    public static String detectPublicIp() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException ignored) {
            // fall through to loopback
        }
        return InetAddress.getLoopbackAddress().getHostAddress();
    }
}
