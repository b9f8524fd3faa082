package io.keel.cli.store;

import io.keel.testkit.Installed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** TLS on a real etcd 3.4's client and peer URLs: the control. */
class EtcdTlsTest extends TlsScenario {

    @Override
    protected List<String> command(String name, Path dataDir, String clientUrl, String peerUrl, String initialCluster,
            List<String> tlsFlags) {
        List<String> command = new ArrayList<>(List.of(Installed.require("etcd").toString(),
                "--name", name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", initialCluster));
        command.addAll(tlsFlags);
        return command;
    }
}
