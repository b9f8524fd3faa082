package io.keel.cli.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** TLS on a Keel store's client and peer URLs. */
class KeelTlsTest extends TlsScenario {

    @Override
    protected List<String> command(String name, Path dataDir, String clientUrl, String peerUrl, String initialCluster,
            List<String> tlsFlags) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.keel.cli.Keel", "store",
                "--name", name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", initialCluster));
        command.addAll(tlsFlags);
        return command;
    }
}
