package io.keel.cli.store;

import java.nio.file.Path;
import java.util.List;

/** etcd's environment variables and config file, given to a Keel store. */
class KeelEtcdSourcesTest extends EtcdSourcesScenario {

    @Override
    protected List<String> program() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.keel.cli.Keel", "store");
    }
}
