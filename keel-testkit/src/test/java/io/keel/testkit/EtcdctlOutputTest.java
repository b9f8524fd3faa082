package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Etcdctl#runUntil} returns everything the command printed, however it ends. A shell
 * script stands in for etcdctl so each ending can be produced on purpose.
 */
class EtcdctlOutputTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** etcdctl's watch on a compacted revision closes stdout, then prints its error and exits 5. */
    @Test
    void keepsTheErrorPrintedAfterStdoutClosedAndTheExitStatus() throws IOException {
        Etcdctl etcdctl = fake("exec 1>&-; sleep 0.3; echo 'Error: watch is canceled by the server' >&2; exit 5");

        Etcdctl.Result result = etcdctl.runUntil(List.of("watch"), null, LIMIT, out -> false);

        assertThat(result.exitCode()).isEqualTo(5);
        assertThat(result.stderr()).isEqualTo("Error: watch is canceled by the server\n");
    }

    @Test
    void killsOnceTheOutputIsCompleteAndKeepsIt() throws IOException {
        Etcdctl etcdctl = fake("printf 'PUT\\nk\\nv\\n'; echo 'still watching' >&2; exec sleep 60");

        Etcdctl.Result result = etcdctl.runUntil(List.of("watch"), null, LIMIT,
                out -> out.lines().count() >= 3);

        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(result.stdout()).isEqualTo("PUT\nk\nv\n");
        assertThat(result.stderr()).isEqualTo("still watching\n");
    }

    @Test
    void killsAtTheLimitAndKeepsWhatWasPrinted() throws IOException {
        Etcdctl etcdctl = fake("printf 'PUT\\nk\\n'; exec sleep 60");

        Etcdctl.Result result = etcdctl.runUntil(List.of("watch"), null, Duration.ofMillis(300),
                out -> out.lines().count() >= 3);

        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(result.stdout()).isEqualTo("PUT\nk\n");
    }

    private Etcdctl fake(String script) throws IOException {
        Path executable = dir.resolve("etcdctl");
        Files.writeString(executable, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwx------"));
        return new Etcdctl(executable, "127.0.0.1:1", LIMIT);
    }
}
