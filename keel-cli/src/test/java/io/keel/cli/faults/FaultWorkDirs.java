package io.keel.cli.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Work directories of the fault scenarios, kept under {@code target/faults/} for a look after a failure. */
final class FaultWorkDirs {
    private FaultWorkDirs() {}

    /** A new directory named after the test class. */
    static Path fresh(Class<?> testClass) {
        try {
            Path root = Files.createDirectories(Path.of("target", "faults").toAbsolutePath());
            return Files.createTempDirectory(root, testClass.getSimpleName() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
