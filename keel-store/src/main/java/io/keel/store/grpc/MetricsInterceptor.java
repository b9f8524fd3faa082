package io.keel.store.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts and times every gRPC call by method and status code, the client port's and (through
 * {@link #record}) the peer port's. Each method's timers are looked up
 * once and kept, not registered again on every call.
 */
public final class MetricsInterceptor implements ServerInterceptor {
  private final MeterRegistry registry;
  private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();

  public MetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    Timer.Sample sample = Timer.start(registry);
    String method = call.getMethodDescriptor().getFullMethodName();
    Timer[] byCode = byCode(method);
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        sample.stop(timer(byCode, method, status.getCode()));
        super.close(status, trailers);
      }
    }, headers);
  }

  /** Records a call answered elsewhere (the peer port) in the same series. */
  public void record(String method, Status.Code code, long nanos) {
    timer(byCode(method), method, code).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer[] byCode(String method) {
    return timers.computeIfAbsent(method, m -> new Timer[Status.Code.values().length]);
  }

  private Timer timer(Timer[] byCode, String method, Status.Code code) {
    Timer timer = byCode[code.ordinal()];
    if (timer == null) {
      timer = Timer.builder("keel.grpc.server.calls")
          .tag("method", method)
          .tag("code", code.name())
          .register(registry);
      byCode[code.ordinal()] = timer;
    }
    return timer;
  }
}
