package io.keel.cluster.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A machine's id: 32 lowercase hex characters, like systemd's {@code /etc/machine-id}, generated
 * once and kept in the node's data directory so the machine keeps its identity across restarts.
 */
public final class MachineId {

    public static final String FILE_NAME = "machine-id";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private MachineId() {}

    /** Checks an id given on the command line: letters, digits and {@code _.:-}, at most 128. */
    public static String validate(String id) {
        if (id == null || !VALID.matcher(id).matches()) {
            throw new IllegalArgumentException("machine id '" + id
                    + "' is invalid: use 1-128 letters, digits and _.:- (starting with a letter or digit)");
        }
        return id;
    }

    public static String generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The id stored in {@code dataDir/machine-id}; generates and stores one (atomically) if there is
     * none yet.
     */
    public static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                try {
                    return validate(id);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(file + " holds an invalid machine id; delete it to generate a new one");
                }
            }
            Files.createDirectories(dataDir);
            String id = generate();
            Path tmp = Files.createTempFile(dataDir, FILE_NAME, ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the machine id in " + file + ": " + e.getMessage(), e);
        }
    }
}
