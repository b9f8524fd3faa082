package io.keel.cli.store;

import io.keel.testkit.KeelStoreProcess;
import io.keel.testkit.StoreProcess;
import java.nio.file.Path;

/** The auto-compaction scenario against a single-member Keel store. */
class KeelAutoCompactionTest extends AutoCompactionScenario {

  @Override
  protected StoreProcess startStore(Path workDir, String... extraArgs) {
    return KeelStoreProcess.start(workDir, System.getProperty("java.class.path"), extraArgs);
  }
}
