package io.keel.cli.store;

import java.nio.file.Path;
import java.util.List;

/** TLS on a Keel store's client and peer URLs. */
class KeelTlsTest extends TlsScenario {

    @Override
    protected List<String> program() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.keel.cli.Keel", "store");
    }
}
