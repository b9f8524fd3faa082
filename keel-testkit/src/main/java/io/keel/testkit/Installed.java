package io.keel.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks that an external command the tests need is installed. A missing command is an
 * error, never a skip: a test that silently skips when etcd is absent proves nothing.
 */
public final class Installed {

    private Installed() {}

    /** Returns the absolute path of {@code command} on {@code PATH}, or throws. */
    public static Path require(String command) {
        return find(command).orElseThrow(() -> new IllegalStateException(
                "'" + command + "' is not installed (not found on PATH=" + System.getenv("PATH") + ")."
                        + " The tests need real etcd and etcdctl 3.4: apt-get install etcd-server etcd-client"));
    }

    public static Optional<Path> find(String command) {
        if (command.contains(File.separator)) {
            Path path = Path.of(command);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String pathVar = System.getenv().getOrDefault("PATH", "");
        for (String dir : pathVar.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
