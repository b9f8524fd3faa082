package io.keel.store.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Prometheus's standard process metrics, which etcd (a Go program) exports and tools read:
 * {@code etcdctl check datascale} reads {@code process_resident_memory_bytes}. Linux only: the
 * values come from {@code /proc/self}; elsewhere they read as -1.
 */
final class ProcessMeters {
  private static final Path PROC = Path.of("/proc/self");
  private static final long PAGE_BYTES = 4096;

  private ProcessMeters() {}

  static void bindTo(MeterRegistry registry) {
    Gauge.builder("process.resident.memory.bytes", () -> statmPages(1) * PAGE_BYTES)
        .register(registry);
    Gauge.builder("process.virtual.memory.bytes", () -> statmPages(0) * PAGE_BYTES)
        .register(registry);
    Gauge.builder("process.open.fds", ProcessMeters::openFds).register(registry);
    Gauge.builder("process.start.time.seconds",
        () -> ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0).register(registry);
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean unix) {
      FunctionCounter.builder("process.cpu.seconds", unix,
          b -> b.getProcessCpuTime() / 1e9).register(registry);
    }
  }

  /** Field {@code index} of {@code /proc/self/statm} (0: size, 1: resident), in pages. */
  private static long statmPages(int index) {
    try {
      return Long.parseLong(Files.readString(PROC.resolve("statm")).trim().split("\\s+")[index]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long openFds() {
    try (Stream<Path> fds = Files.list(PROC.resolve("fd"))) {
      return fds.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
