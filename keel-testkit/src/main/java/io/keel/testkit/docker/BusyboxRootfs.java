package io.keel.testkit.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Builds a minimal root filesystem tar: a static {@code /bin/busybox} and a symlink per applet. */
final class BusyboxRootfs {

    static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final List<String> DIRECTORIES = List.of("bin", "dev", "etc", "proc", "sys", "tmp", "root", "var");

    private BusyboxRootfs() {}

    /** Writes {@code dir.tar} (deleting the work directory {@code dir}) and returns it. */
    static Path write(Path dir) throws IOException {
        requireStaticBusybox();
        deleteTree(dir);
        for (String d : DIRECTORIES) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.copy(BUSYBOX, dir.resolve("bin/busybox"));
        for (String applet : run(List.of(BUSYBOX.toString(), "--list")).lines().map(String::strip).toList()) {
            if (!applet.isEmpty() && !applet.equals("busybox")) {
                Files.createSymbolicLink(dir.resolve("bin").resolve(applet), Path.of("busybox"));
            }
        }
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Path tar = dir.resolveSibling(dir.getFileName() + ".tar");
        run(List.of("tar", "-C", dir.toString(), "-cf", tar.toString(), "."));
        deleteTree(dir);
        return tar;
    }

    private static void requireStaticBusybox() throws IOException {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException(BUSYBOX + " is missing; the Docker tests build their image from it:"
                    + " apt-get install busybox-static");
        }
        if (hasInterpreter(Files.readAllBytes(BUSYBOX))) {
            throw new IllegalStateException(BUSYBOX + " is dynamically linked and cannot run in an empty image:"
                    + " apt-get install busybox-static");
        }
    }

    /** Whether a 64-bit little-endian ELF has a PT_INTERP program header (is dynamically linked). */
    static boolean hasInterpreter(byte[] elf) {
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[4] != 2 || elf[5] != 1) {
            return false;
        }
        ByteBuffer header = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = header.getLong(32);
        int phentsize = Short.toUnsignedInt(header.getShort(54));
        int phnum = Short.toUnsignedInt(header.getShort(56));
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            if (at + 4 <= elf.length && header.getInt((int) at) == 3) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + String.join(" ", command), e);
        }
        return output;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
