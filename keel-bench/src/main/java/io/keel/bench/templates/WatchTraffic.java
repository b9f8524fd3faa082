package io.keel.bench.templates;

import io.etcd.jetcd.api.WatchResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.concurrent.atomic.LongAdder;

/**
 * A gRPC client interceptor counting what the agents' clients ask of the store: watch streams
 * opened (gRPC {@code Watch/Watch} calls), watch requests sent on them (creates and cancels), watch
 * responses and events received, and unary calls (Range, everything else). Shared by all the
 * simulated agents' clients; thread-safe.
 */
final class WatchTraffic implements ClientInterceptor {
  static final String WATCH = "etcdserverpb.Watch/Watch";
  static final String RANGE = "etcdserverpb.KV/Range";

  final LongAdder watchStreams = new LongAdder();
  final LongAdder watchStreamsClosed = new LongAdder();
  final LongAdder watchRequests = new LongAdder();
  final LongAdder watchCreated = new LongAdder();
  final LongAdder watchResponses = new LongAdder();
  final LongAdder watchEvents = new LongAdder();
  final LongAdder ranges = new LongAdder();
  final LongAdder otherCalls = new LongAdder();

  /** A point-in-time copy of the counters. */
  record Snapshot(long watchStreams, long watchStreamsClosed, long watchRequests, long watchCreated,
      long watchResponses, long watchEvents, long ranges, long otherCalls) {
    Snapshot minus(Snapshot o) {
      return new Snapshot(watchStreams - o.watchStreams, watchStreamsClosed - o.watchStreamsClosed,
          watchRequests - o.watchRequests, watchCreated - o.watchCreated, watchResponses - o.watchResponses,
          watchEvents - o.watchEvents, ranges - o.ranges, otherCalls - o.otherCalls);
    }
  }

  Snapshot snapshot() {
    return new Snapshot(watchStreams.sum(), watchStreamsClosed.sum(), watchRequests.sum(), watchCreated.sum(),
        watchResponses.sum(), watchEvents.sum(), ranges.sum(), otherCalls.sum());
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    String name = method.getFullMethodName();
    ClientCall<Q, R> call = next.newCall(method, options);
    if (RANGE.equals(name)) {
      ranges.increment();
      return call;
    }
    if (!WATCH.equals(name)) {
      otherCalls.increment();
      return call;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        watchStreams.increment();
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onMessage(R message) {
            if (message instanceof WatchResponse w) {
              watchResponses.increment();
              watchEvents.add(w.getEventsCount());
              if (w.getCreated()) {
                watchCreated.increment();
              }
            }
            super.onMessage(message);
          }

          @Override
          public void onClose(io.grpc.Status status, Metadata trailers) {
            watchStreamsClosed.increment();
            super.onClose(status, trailers);
          }
        }, headers);
      }

      @Override
      public void sendMessage(Q message) {
        watchRequests.increment();
        super.sendMessage(message);
      }
    };
  }
}
