package io.keel.store.grpc;

import com.google.protobuf.CodedInputStream;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;

/**
 * gRPC's standard health service ({@code grpc.health.v1.Health}), which etcd 3.4 registers and
 * gRPC health probes call: the server ({@code service = ""}) is SERVING; any other service name
 * is unknown. Its two messages are small enough to encode by hand.
 */
final class HealthService {
  static final String NAME = "grpc.health.v1.Health";
  /** {@code HealthCheckResponse{status: SERVING}}. */
  private static final byte[] SERVING = {0x08, 0x01};
  /** {@code HealthCheckResponse{status: SERVICE_UNKNOWN}}, what Watch sends for other names. */
  private static final byte[] SERVICE_UNKNOWN = {0x08, 0x03};

  private HealthService() {}

  static ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(NAME)
        .addMethod(RawBytes.method(NAME, "Check", MethodType.UNARY),
            ServerCalls.asyncUnaryCall(HealthService::check))
        .addMethod(RawBytes.method(NAME, "Watch", MethodType.SERVER_STREAMING),
            ServerCalls.asyncServerStreamingCall(
                (request, observer) -> observer.onNext(isServer(request) ? SERVING : SERVICE_UNKNOWN)))
        .build();
  }

  private static void check(byte[] request, StreamObserver<byte[]> observer) {
    if (isServer(request)) {
      observer.onNext(SERVING);
      observer.onCompleted();
    } else {
      observer.onError(Status.NOT_FOUND.withDescription("unknown service").asRuntimeException());
    }
  }

  /** True when the request names no service ({@code HealthCheckRequest.service}, field 1). */
  private static boolean isServer(byte[] request) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(request);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == (1 << 3 | 2)) {
          return in.readStringRequireUtf8().isEmpty();
        }
        in.skipField(tag);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
