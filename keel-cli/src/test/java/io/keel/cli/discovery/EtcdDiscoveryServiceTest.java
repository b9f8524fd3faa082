package io.keel.cli.discovery;

import io.keel.testkit.EtcdProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** Discovery with a real etcd 3.4 as the discovery service. */
class EtcdDiscoveryServiceTest extends DiscoveryContract {
  @Override
  StoreProcess startDiscoveryService(Path dir) {
    return EtcdProcess.start(dir);
  }
}
