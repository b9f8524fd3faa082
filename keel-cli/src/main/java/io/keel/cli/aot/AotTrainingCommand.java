package io.keel.cli.aot;

import io.keel.lifecycle.update.Slots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel aot-training}: the workload {@code bin/keel} runs under {@code -XX:AOTCacheOutput}
 * to record the JVM's ahead-of-time cache for store members (docs/store.md, "Startup and
 * warm-up"). Hidden: operators get the cache through {@code bin/keel aot-cache}, or with
 * {@code KEEL_AOT=1} on the first {@code bin/keel store} or {@code up} after a build.
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
      Slots.deleteRecursively(scratch);
    }
  }
}
