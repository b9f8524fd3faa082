package io.keel.cli.store;

import io.keel.testkit.Installed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** TLS on a real etcd 3.4 member's client URL: the control. */
class EtcdClientTlsTest extends ClientTlsScenario {

    @Override
    protected List<String> command(Path dataDir, String clientUrl, String peerUrl, List<String> tlsFlags) {
        List<String> command = new ArrayList<>(List.of(Installed.require("etcd").toString(),
                "--data-dir", dataDir.toString(), "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "default=" + peerUrl));
        command.addAll(tlsFlags);
        return command;
    }
}
