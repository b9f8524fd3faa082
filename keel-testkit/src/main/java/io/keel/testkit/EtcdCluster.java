package io.keel.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A cluster of real {@code etcd} members (see {@link StoreCluster}). */
public final class EtcdCluster extends StoreCluster {

    private EtcdCluster(List<StoreClusterMember> members, StoreClusterNetwork network) {
        super(members, network);
    }

    /**
     * Starts {@code size} etcd members under {@code workDir} and waits until the cluster is healthy.
     *
     * @param extraArgs appended to every member's flags
     */
    public static EtcdCluster start(Path workDir, int size, String... extraArgs) {
        return startFrom(workDir, size, spec -> {}, extraArgs);
    }

    /**
     * As {@link #start}, after {@code prepareDataDir} wrote each member's data dir (for example
     * with {@code etcdctl snapshot restore}) before the member starts.
     */
    public static EtcdCluster startFrom(Path workDir, int size, Consumer<MemberSpec> prepareDataDir,
            String... extraArgs) {
        Path etcd = Installed.require("etcd");
        return StoreCluster.start(workDir, size, "etcd", EtcdProcess.START_TIMEOUT, spec -> prepared(spec, prepareDataDir,
                () -> Stream.concat(Stream.of(
                etcd.toString(),
                "--name", spec.name(),
                "--data-dir", spec.dataDir().toString(),
                "--listen-client-urls", spec.clientUrl(),
                "--advertise-client-urls", spec.advertisedClientUrl(),
                "--listen-peer-urls", spec.listenPeerUrl(),
                "--initial-advertise-peer-urls", spec.advertisedPeerUrl(),
                "--initial-cluster", spec.initialCluster(),
                "--initial-cluster-state", "new",
                "--initial-cluster-token", spec.clusterToken()), Stream.of(extraArgs)).toList()),
                EtcdCluster::new);
    }
}
