package io.keel.cli;

import io.keel.store.server.StoreConfig;
import io.keel.store.server.StoreServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs a store member until SIGTERM/SIGINT, then shuts it down cleanly. A member removed from
 * its cluster stops too, a second after it learns it (etcd's member exits 0 the same way).
 */
final class Daemon {
  /** How long a removed member keeps answering, so the request that removed it gets its reply. */
  private static final Duration REMOVED_GRACE = Duration.ofSeconds(1);

  private Daemon() {}

  static void run(StoreConfig config, String what) throws IOException, InterruptedException {
    StoreServer server = StoreServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      try {
        server.close();
      } catch (IOException e) {
        System.err.println("keel: error while stopping: " + e.getMessage());
      } finally {
        stopped.countDown();
      }
    }, "keel-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    server.removed().thenRun(() -> Thread.ofPlatform().daemon().name("keel-removed").start(() -> {
      System.err.println(what + ": the member has been permanently removed from the cluster;"
          + " stopping");
      try {
        Thread.sleep(REMOVED_GRACE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      System.exit(0);
    }));
    if (server.removed().isDone()) {
      stopped.await();
      return;
    }
    String urls = config.advertiseClientUrls().stream().map(URI::toString)
        .collect(Collectors.joining(","));
    System.out.println(what + ": store member '" + config.name() + "' ready; data in "
        + config.dataDir().toAbsolutePath() + "; clients connect to " + urls
        + " (e.g. ETCDCTL_API=3 etcdctl --endpoints=" + urls + " put hello world)");
    System.out.flush();
    stopped.await();
  }
}
