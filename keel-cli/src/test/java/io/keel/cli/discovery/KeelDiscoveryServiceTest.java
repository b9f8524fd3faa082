package io.keel.cli.discovery;

import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** Discovery with a single {@code keel store} as the discovery service. */
class KeelDiscoveryServiceTest extends DiscoveryContract {
  @Override
  StoreProcess startDiscoveryService(Path dir) {
    return KeelStoreProcess.start(dir, System.getProperty("java.class.path"));
  }
}
