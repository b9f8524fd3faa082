package io.keel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A cluster of Keel store members ({@code keel store}), one JVM each (see {@link StoreCluster}).
 *
 * <p>The Keel classes are copied into the work dir when the cluster starts (class directories
 * and Keel's own jars; third-party jars are used in place), so a member restarted by a fault
 * runs the same code as before even if the project is rebuilt meanwhile.
 */
public final class KeelStoreCluster extends StoreCluster {

    private KeelStoreCluster(List<StoreClusterMember> members, StoreClusterNetwork network) {
        super(members, network);
    }

    /**
     * Starts {@code size} Keel store members under {@code workDir} and waits until the cluster is
     * healthy.
     *
     * @param classpath a classpath holding {@code io.keel.cli.Keel} and its dependencies, such as
     *     {@code System.getProperty("java.class.path")} in a keel-cli test
     * @param extraArgs appended to every member's flags
     */
    public static KeelStoreCluster start(Path workDir, int size, String classpath, String... extraArgs) {
        return startFrom(workDir, size, classpath, spec -> {}, extraArgs);
    }

    /**
     * As {@link #start}, after {@code prepareDataDir} wrote each member's data dir (for example
     * with {@code keel snapshot restore}) before the member starts.
     */
    public static KeelStoreCluster startFrom(Path workDir, int size, String classpath,
            Consumer<MemberSpec> prepareDataDir, String... extraArgs) {
        String frozen = freeze(classpath, workDir.resolve("classpath"));
        return StoreCluster.start(workDir, size, "keel store", KeelStoreProcess.START_TIMEOUT, spec -> prepared(spec,
                prepareDataDir, () -> {
            List<String> command = new ArrayList<>(List.of(
                    KeelStoreProcess.java(), "-cp", frozen, KeelStoreProcess.MAIN_CLASS, "store",
                    "--name", spec.name(),
                    "--data-dir", spec.dataDir().toString(),
                    "--listen-client-urls", spec.clientUrl(),
                    "--advertise-client-urls", spec.advertisedClientUrl(),
                    "--listen-peer-urls", spec.listenPeerUrl(),
                    "--initial-advertise-peer-urls", spec.advertisedPeerUrl(),
                    "--initial-cluster", spec.initialCluster(),
                    "--initial-cluster-state", "new",
                    "--initial-cluster-token", spec.clusterToken()));
            command.addAll(List.of(extraArgs));
            return command;
        }), KeelStoreCluster::new);
    }

    /** Copies the class directories and Keel jars of {@code classpath} under {@code into}; returns the new classpath. */
    static String freeze(String classpath, Path into) {
        List<String> frozen = new ArrayList<>();
        int n = 0;
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry);
            boolean keelJar = Files.isRegularFile(path) && path.getFileName().toString().startsWith("keel-");
            if (Files.isDirectory(path) || keelJar) {
                Path copy = into.resolve((n++) + "-" + path.getFileName());
                copyTree(path, copy);
                frozen.add(copy.toString());
            } else {
                frozen.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, frozen);
    }

    private static void copyTree(Path source, Path target) {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + source + " to " + target, e);
        }
    }
}
