package io.keel.cli.membership;

import io.keel.testkit.StoreCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the membership scenarios share: a cluster started by the binding (Keel or etcd) in a
 * fresh directory, closed after each test.
 */
abstract class ClusterScenario {
  @TempDir
  Path work;
  StoreCluster cluster;

  /** Starts a healthy 3-member cluster. */
  protected abstract StoreCluster startCluster(Path workDir);

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
