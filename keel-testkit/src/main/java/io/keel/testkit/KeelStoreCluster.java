package io.keel.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A cluster of Keel store members ({@code keel store}), one JVM each (see {@link StoreCluster}). */
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
        return StoreCluster.start(workDir, size, "keel store", KeelStoreProcess.START_TIMEOUT, spec -> {
            List<String> command = new ArrayList<>(List.of(
                    KeelStoreProcess.java(), "-cp", classpath, KeelStoreProcess.MAIN_CLASS, "store",
                    "--name", spec.name(),
                    "--data-dir", spec.dataDir().toString(),
                    "--listen-client-urls", spec.clientUrl(),
                    "--advertise-client-urls", spec.clientUrl(),
                    "--listen-peer-urls", spec.listenPeerUrl(),
                    "--initial-advertise-peer-urls", spec.advertisedPeerUrl(),
                    "--initial-cluster", spec.initialCluster(),
                    "--initial-cluster-state", "new",
                    "--initial-cluster-token", spec.clusterToken()));
            command.addAll(List.of(extraArgs));
            return command;
        }, KeelStoreCluster::new);
    }
}
