package io.keel.cli.store;

import io.keel.testkit.EtcdProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The auto-compaction scenario against a real etcd 3.4: the control. */
class EtcdAutoCompactionTest extends AutoCompactionScenario {

  @Override
  protected StoreProcess startStore(Path workDir, String... extraArgs) {
    return EtcdProcess.start(workDir, extraArgs);
  }
}
