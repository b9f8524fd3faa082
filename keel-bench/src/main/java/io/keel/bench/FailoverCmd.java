package io.keel.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Leader failover: kills the leader's process ({@code kill -9}) and measures the time until a put
 * through the surviving members is acknowledged. Probes go round-robin over the survivors, each
 * with a short deadline, so the first acknowledged write is seen within about one deadline of
 * the cluster being able to take it. Prints one JSON line with the seconds it took.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Kill the leader and time the first write the survivors acknowledge.")
public final class FailoverCmd implements Callable<Integer> {
  @Option(names = "--endpoints", split = ",", required = true,
      description = "The surviving members' client URLs.")
  List<String> endpoints;

  @Option(names = "--kill-pid", required = true, description = "The leader's process id.")
  long killPid;

  @Option(names = "--probe-timeout-ms", defaultValue = "100",
      description = "Deadline of one probe put (default: ${DEFAULT-VALUE}).")
  long probeTimeoutMs;

  @Option(names = "--pause-ms", defaultValue = "10",
      description = "Pause after a probe refused at once, to leave the CPU to the election "
          + "(default: ${DEFAULT-VALUE}).")
  long pauseMs;

  @Option(names = "--give-up", defaultValue = "60",
      description = "Seconds after which the run fails (default: ${DEFAULT-VALUE}).")
  long giveUpSeconds;

  @Option(names = "--label", defaultValue = "", description = "Copied into the JSON line.")
  String label;

  @Option(names = "--verbose", description = "Print each refused probe to stderr.")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    if (endpoints.isEmpty() || probeTimeoutMs < 1 || pauseMs < 0 || giveUpSeconds < 1) {
      throw new IllegalArgumentException(
          "--endpoints must not be empty; --probe-timeout-ms, --give-up positive; --pause-ms >= 0");
    }
    ProcessHandle leader = ProcessHandle.of(killPid).orElseThrow(
        () -> new IllegalArgumentException("--kill-pid " + killPid + ": no such process"));
    try (Connections conns = new Connections(endpoints, endpoints.size())) {
      List<KVGrpc.KVBlockingStub> stubs = new ArrayList<>();
      for (var channel : conns.all()) {
        stubs.add(KVGrpc.newBlockingStub(channel));
      }
      PutRequest probe = PutRequest.newBuilder()
          .setKey(ByteString.copyFrom("failover-probe", StandardCharsets.UTF_8))
          .setValue(ByteString.copyFrom("x", StandardCharsets.UTF_8)).build();
      for (var stub : stubs) {  // connected and warm before the clock starts
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).put(probe);
      }
      long start = System.nanoTime();
      leader.destroyForcibly();
      if (verbose) {
        System.err.println("failover: killed the leader at " + java.time.Instant.now());
      }
      long giveUp = start + TimeUnit.SECONDS.toNanos(giveUpSeconds);
      for (int attempt = 1; System.nanoTime() < giveUp; attempt++) {
        long sent = System.nanoTime();
        try {
          stubs.get(attempt % stubs.size())
              .withDeadlineAfter(probeTimeoutMs, TimeUnit.MILLISECONDS).put(probe);
          double seconds = (System.nanoTime() - start) / 1e9;
          System.out.println(new JsonLine().put("case", "failover").put("label", label)
              .put("seconds", seconds).put("probes", attempt));
          return 0;
        } catch (StatusRuntimeException refused) {
          if (verbose) {
            System.err.printf("failover: probe %d to %s at %.3f s: %s%n", attempt,
                endpoints.get(attempt % stubs.size()), (sent - start) / 1e9, refused.getStatus());
          }
          if (System.nanoTime() - sent < TimeUnit.MILLISECONDS.toNanos(probeTimeoutMs)) {
            Thread.sleep(pauseMs);
          }
        }
      }
      System.err.println("failover: no write acknowledged within " + giveUpSeconds + " s");
      return 1;
    }
  }
}
