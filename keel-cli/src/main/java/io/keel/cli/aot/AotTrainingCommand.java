package io.keel.cli.aot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel aot-training}: the workload {@code bin/keel} runs under {@code -XX:AOTCacheOutput}
 * to record the JVM's ahead-of-time cache for store members (docs/store.md, "Startup and
 * warm-up"). Hidden: operators get the cache through {@code bin/keel aot-cache}, or without asking
 * on the first {@code bin/keel store} or {@code up} after a build.
 */
@Command(name = "aot-training", hidden = true, mixinStandardHelpOptions = true,
    description = "Run store members in this JVM under a checked workload, then exit.")
public final class AotTrainingCommand implements Callable<Integer> {
  @Option(names = "--scale", defaultValue = "1",
      description = "How many times over each phase runs its requests (default: ${DEFAULT-VALUE}).")
  int scale;

  @Override
  public Integer call() throws Exception {
    Path scratch = Files.createTempDirectory("keel-aot-training");
    long started = System.nanoTime();
    try {
      long requests = new AotTraining(scratch, scale, System.out).run();
      System.out.printf("aot-training: %d requests answered and checked in %.1f s%n", requests,
          (System.nanoTime() - started) / 1e9);
      return 0;
    } catch (Exception e) {
      e.printStackTrace();
      throw e;
    } finally {
      deleteTree(scratch);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
