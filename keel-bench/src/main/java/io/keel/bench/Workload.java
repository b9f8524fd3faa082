package io.keel.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.Status;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;

/**
 * Plumbing shared by every workload: connect, check the server answers, prepare, warm up,
 * run the measured requests, print a human summary and one JSON line.
 *
 * <p>Exit status: 0 all requests succeeded; 1 the run finished but some requests failed
 * or timed out; 2 the run could not be done (server unreachable, setup failed).
 */
public abstract class Workload implements Callable<Integer> {
  @Mixin CommonOptions common;

  protected Connections conns;
  protected ScheduledExecutorService scheduler;

  /** The workload's name in reports. */
  protected abstract String name();

  /** Workload-specific parameters for the JSON line. */
  protected void describe(JsonLine json) {}

  /** Untimed setup before warm-up (e.g. write the keys a range reads). */
  protected void prepare() throws Exception {}

  /** Untimed setup after warm-up, right before the measured run (e.g. create watchers). */
  protected void beforeMeasured() throws Exception {}

  /** The measured request. */
  protected abstract ClosedLoop.Op op();

  /** Called after the measured run; add extra metrics and summary lines. */
  protected void after(ClosedLoop.Outcome outcome, JsonLine json, StringBuilder human)
      throws Exception {}

  /** Whether extra metrics gathered in {@link #after} found a failure. */
  protected boolean afterFailed() {
    return false;
  }

  /** The unit of one measured request in the summary (e.g. "req", "txn", "cycle"). */
  protected String unit() {
    return "req";
  }

  protected <S extends AbstractStub<S>> S withDeadline(S stub) {
    return stub.withDeadlineAfter(common.requestTimeoutSeconds, TimeUnit.SECONDS);
  }

  @Override
  public final Integer call() throws Exception {
    PrintStream out = System.out;
    JsonLine json = new JsonLine()
        .put("bench", "keel-bench")
        .put("workload", name())
        .put("label", common.label)
        .put("endpoints", String.join(",", common.endpoints))
        .put("conns", common.conns)
        .put("clients", common.clients)
        .put("total", common.total)
        .put("rate_limit", common.rate);
    describe(json);
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bench-pacer");
      t.setDaemon(true);
      return t;
    });
    StringBuilder human = new StringBuilder();
    int exit;
    try (Connections c = new Connections(common.endpoints, common.conns)) {
      conns = c;
      try {
        checkSlowLogWritable();
        awaitReady();
        prepare();
        if (common.warmup > 0) {
          ClosedLoop warm = new ClosedLoop(common.clients, common.warmup, common.rate,
              common.maxErrors, scheduler);
          ClosedLoop.Outcome w = warm.run(op(), new LatencyStats(), common.runTimeoutSeconds,
              TimeUnit.SECONDS);
          if (w.errors() > 0 || w.timedOut()) {
            throw new IllegalStateException("warm-up failed: " + errorText(w.firstError())
                + (w.timedOut() ? " (timed out)" : ""));
          }
        }
        beforeMeasured();
      } catch (Exception e) {
        json.put("ok", false).put("error", "setup: " + errorText(e));
        emit(out, json, name() + " [" + common.label + "] setup failed: " + errorText(e) + "\n");
        return 2;
      }
      LatencyStats stats = new LatencyStats();
      SlowRequests slow = common.slowLog == null ? null : new SlowRequests(common.slowMillis);
      ClosedLoop loop = new ClosedLoop(common.clients, common.total, common.rate,
          common.maxErrors, scheduler).reportingTo(slow);
      ClosedLoop.Outcome o = loop.run(op(), stats, common.runTimeoutSeconds, TimeUnit.SECONDS);
      if (slow != null) {
        slow.writeTo(common.slowLog);
      }
      json.put("succeeded", o.succeeded())
          .put("errors", o.errors())
          .put("timed_out", o.timedOut())
          .put("elapsed_s", o.seconds())
          .put("rps", o.perSecond());
      stats.writeTo(json, "");
      human.append(String.format("%s [%s] %s, conns %d, clients %d%n", name(), common.label,
          String.join(",", common.endpoints), common.conns, common.clients));
      human.append(String.format("  %d/%d %ss ok in %.3f s: %.1f %s/s, errors %d%s%n",
          o.succeeded(), common.total, unit(), o.seconds(), o.perSecond(), unit(), o.errors(),
          o.timedOut() ? " (TIMED OUT)" : ""));
      human.append("  latency ").append(stats.summary()).append('\n');
      if (o.firstError() != null) {
        human.append("  first error: ").append(errorText(o.firstError())).append('\n');
        json.put("first_error", errorText(o.firstError()));
      }
      after(o, json, human);
      boolean ok = o.errors() == 0 && !o.timedOut() && o.succeeded() == common.total
          && !afterFailed();
      json.put("ok", ok);
      exit = ok ? 0 : 1;
    } finally {
      scheduler.shutdownNow();
    }
    emit(out, json, human.toString());
    return exit;
  }

  private void emit(PrintStream out, JsonLine json, String human) throws IOException {
    if (!common.quiet) {
      out.print(human);
    }
    String line = json.toString();
    out.println(line);
    out.flush();
    if (common.jsonOut != null) {
      Files.writeString(common.jsonOut, line + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  /** Fails before the run, not after it, when --slow-log cannot be written. */
  private void checkSlowLogWritable() {
    if (common.slowLog == null) {
      return;
    }
    try {
      Files.writeString(common.slowLog, "", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write --slow-log " + common.slowLog + ": "
          + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }
  }

  /** One serializable range per channel: fails fast if a server does not answer. */
  private void awaitReady() throws Exception {
    for (var ch : conns.all()) {
      try {
        KVGrpc.newBlockingStub(ch)
            .withDeadlineAfter(Math.max(10, common.requestTimeoutSeconds), TimeUnit.SECONDS)
            .withWaitForReady()
            .range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("keel-bench-ping"))
                .setSerializable(true)
                .build());
      } catch (RuntimeException e) {
        throw new IllegalStateException("server at " + ch.authority() + " did not answer: "
            + errorText(e), e);
      }
    }
  }

  static String errorText(Throwable t) {
    if (t == null) {
      return "";
    }
    if (t instanceof io.grpc.StatusRuntimeException || t instanceof io.grpc.StatusException) {
      Status s = Status.fromThrowable(t);
      return oneLine(s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription()));
    }
    return oneLine(t.getMessage() != null ? t.getMessage() : t.toString());
  }

  /** First line, at most 300 characters: gRPC descriptions can carry whole stack traces. */
  static String oneLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() <= 300 ? line : line.substring(0, 300) + "...";
  }

  /** An observer for a unary call that reports its end to {@code done}. */
  protected static <T> StreamObserver<T> completing(ClosedLoop.Done done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {}

      @Override
      public void onError(Throwable t) {
        done.done(t);
      }

      @Override
      public void onCompleted() {
        done.done(null);
      }
    };
  }
}
