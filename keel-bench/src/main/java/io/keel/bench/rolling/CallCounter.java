package io.keel.bench.rolling;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts the gRPC calls a jetcd client starts, by method ("Range", "Txn", ...): the store requests it made. */
public final class CallCounter implements ClientInterceptor {
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    String name = method.getBareMethodName() == null ? method.getFullMethodName() : method.getBareMethodName();
    calls.computeIfAbsent(name, k -> new LongAdder()).increment();
    return next.newCall(method, options);
  }

  public long count(String method) {
    LongAdder a = calls.get(method);
    return a == null ? 0 : a.sum();
  }

  public long total() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public Map<String, Long> snapshot() {
    Map<String, Long> m = new TreeMap<>();
    calls.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  public void reset() {
    calls.clear();
  }
}
