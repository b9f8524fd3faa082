package io.keel.store.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Counts and times every gRPC call by method and status code, the client port's and (through
 * {@link #record}) the peer port's. The client port's calls are also counted under the names
 * etcd's gRPC middleware gives them ({@code grpc_server_started_total}, {@code
 * grpc_server_handled_total}, {@code grpc_server_msg_received_total} and {@code
 * grpc_server_msg_sent_total}, labelled {@code grpc_type}, {@code grpc_service}, {@code
 * grpc_method} and {@code grpc_code} as Go names them), which etcd's alerts read; with etcd's
 * {@code --metrics extensive} they are also timed in {@code grpc_server_handling_seconds}, with
 * go-grpc-prometheus's buckets. Each method's meters are looked up once and kept, not registered
 * again on every call.
 */
public final class MetricsInterceptor implements ServerInterceptor {
  /** A method in jetcd's protos that etcd 3.4's server does not have. */
  private static final String NOT_IN_ETCD = "etcdserverpb.Watch/Progress";

  /** Prometheus's default buckets, which go-grpc-prometheus's handling time histogram takes. */
  private static final Duration[] HANDLING_BUCKETS = Stream.of(0.005, 0.01, 0.025, 0.05, 0.1,
      0.25, 0.5, 1.0, 2.5, 5.0, 10.0).map(s -> Duration.ofNanos(Math.round(s * 1e9)))
      .toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final boolean handlingTimes;
  private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();
  private final Map<String, EtcdCounters> etcdCounters = new ConcurrentHashMap<>();

  public MetricsInterceptor(MeterRegistry registry) {
    this(registry, false);
  }

  /** @param handlingTimes whether to time client-port calls as etcd's {@code --metrics extensive} */
  public MetricsInterceptor(MeterRegistry registry, boolean handlingTimes) {
    this.registry = registry;
    this.handlingTimes = handlingTimes;
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
    var listener = next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(R message) {
        super.sendMessage(message);
        counters.sent.increment();
      }

      @Override
      public void close(Status status, Metadata trailers) {
        long nanos = sample.stop(timer(byCode, method, status.getCode()));
        if (counters.handling != null) {
          counters.handling.record(nanos, TimeUnit.NANOSECONDS);
        }
        counters.handled(status.getCode()).increment();
        super.close(status, trailers);
      }
    }, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        counters.received.increment();
        super.onMessage(message);
      }
    };
  }

  /**
   * Creates, at zero, etcd's series for every method of {@code services} that etcd 3.4 also
   * creates at start (its {@code etcdserverpb} services and gRPC health; not the lock and
   * election services, nor jetcd's {@code Watch/Progress}, which etcd 3.4 does not have), so that
   * a rate over them starts at the first scrape as etcd's does.
   */
  public void preRegister(List<ServerServiceDefinition> services) {
    for (ServerServiceDefinition service : services) {
      String name = service.getServiceDescriptor().getName();
      if (!name.startsWith("etcdserverpb.") && !name.equals(HealthService.NAME)) {
        continue;
      }
      for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
        var descriptor = method.getMethodDescriptor();
        if (descriptor.getFullMethodName().equals(NOT_IN_ETCD)) {
          continue;
        }
        EtcdCounters counters = etcdCounters.computeIfAbsent(
            descriptor.getFullMethodName(), m -> new EtcdCounters(descriptor));
        for (Status.Code code : Status.Code.values()) {
          counters.handled(code);
        }
      }
    }
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
    private final Counter received;
    private final Counter sent;
    private final Counter[] handled = new Counter[Status.Code.values().length];
    private final Timer handling;

    EtcdCounters(MethodDescriptor<?, ?> method) {
      labels = new String[] {"grpc_type", grpcType(method.getType()),
          "grpc_service", String.valueOf(method.getServiceName()),
          "grpc_method", String.valueOf(method.getBareMethodName())};
      started = Counter.builder("grpc.server.started")
          .description("Total number of RPCs started on the server.")
          .tags(labels).register(registry);
      received = Counter.builder("grpc.server.msg.received")
          .description("Total number of RPC stream messages received on the server.")
          .tags(labels).register(registry);
      sent = Counter.builder("grpc.server.msg.sent")
          .description("Total number of gRPC stream messages sent by the server.")
          .tags(labels).register(registry);
      handling = !handlingTimes ? null : Timer.builder("grpc.server.handling")
          .description("Histogram of response latency (seconds) of gRPC that had been application-"
              + "level handled by the server.")
          .tags(labels).serviceLevelObjectives(HANDLING_BUCKETS).register(registry);
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
