package io.keel.store.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts and times every gRPC call by method and status code, the client port's and (through
 * {@link #record}) the peer port's. The client port's calls are also counted under the names
 * etcd's gRPC middleware gives them ({@code grpc_server_started_total} and {@code
 * grpc_server_handled_total}, labelled {@code grpc_type}, {@code grpc_service}, {@code
 * grpc_method} and {@code grpc_code} as Go names them), which etcd's alerts read. Each method's
 * meters are looked up once and kept, not registered again on every call.
 */
public final class MetricsInterceptor implements ServerInterceptor {
  private final MeterRegistry registry;
  private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();
  private final Map<String, EtcdCounters> etcdCounters = new ConcurrentHashMap<>();

  public MetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    Timer.Sample sample = Timer.start(registry);
    MethodDescriptor<Q, R> descriptor = call.getMethodDescriptor();
    String method = descriptor.getFullMethodName();
    Timer[] byCode = byCode(method);
    EtcdCounters counters =
        etcdCounters.computeIfAbsent(method, m -> new EtcdCounters(descriptor));
    counters.started.increment();
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        sample.stop(timer(byCode, method, status.getCode()));
        counters.handled(status.getCode()).increment();
        super.close(status, trailers);
      }
    }, headers);
  }

  /** Records a call answered elsewhere (the peer port) in Keel's series, not etcd's. */
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

  /** Go's name of a gRPC status code ({@code codes.Code.String()}). */
  static String goCodeName(Status.Code code) {
    return switch (code) {
      case OK -> "OK";
      case CANCELLED -> "Canceled";
      default -> {
        StringBuilder name = new StringBuilder();
        for (String word : code.name().split("_")) {
          name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        yield name.toString();
      }
    };
  }

  /** The {@code grpc_type} label of a method, as go-grpc-prometheus writes it. */
  static String grpcType(MethodDescriptor.MethodType type) {
    return switch (type) {
      case UNARY -> "unary";
      case CLIENT_STREAMING -> "client_stream";
      case SERVER_STREAMING -> "server_stream";
      case BIDI_STREAMING, UNKNOWN -> "bidi_stream";
    };
  }

  /** A client-port method's counters under go-grpc-prometheus's names and labels. */
  private final class EtcdCounters {
    private final String[] labels;
    private final Counter started;
    private final Counter[] handled = new Counter[Status.Code.values().length];

    EtcdCounters(MethodDescriptor<?, ?> method) {
      labels = new String[] {"grpc_type", grpcType(method.getType()),
          "grpc_service", String.valueOf(method.getServiceName()),
          "grpc_method", String.valueOf(method.getBareMethodName())};
      started = Counter.builder("grpc.server.started")
          .description("Total number of RPCs started on the server.")
          .tags(labels).register(registry);
    }

    Counter handled(Status.Code code) {
      Counter counter = handled[code.ordinal()];
      if (counter == null) {
        counter = Counter.builder("grpc.server.handled")
            .description("Total number of RPCs completed on the server, regardless of success "
                + "or failure.")
            .tags(labels).tag("grpc_code", goCodeName(code))
            .register(registry);
        handled[code.ordinal()] = counter;
      }
      return counter;
    }
  }
}
