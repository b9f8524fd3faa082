package io.keel.store.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsInterceptorTest {
  /** Go's {@code codes.Code.String()}, in code order (google.golang.org/grpc/codes). */
  private static final List<String> GO_CODE_NAMES = List.of("OK", "Canceled", "Unknown",
      "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied",
      "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented",
      "Internal", "Unavailable", "DataLoss", "Unauthenticated");

  @Test
  void everyStatusCodeIsNamedAsGoNamesIt() {
    assertThat(Arrays.stream(Status.Code.values()).map(MetricsInterceptor::goCodeName))
        .containsExactlyElementsOf(GO_CODE_NAMES);
  }

  @Test
  void methodTypesAreNamedAsGoGrpcPrometheusNamesThem() {
    assertThat(MetricsInterceptor.grpcType(MethodDescriptor.MethodType.UNARY)).isEqualTo("unary");
    assertThat(MetricsInterceptor.grpcType(MethodDescriptor.MethodType.CLIENT_STREAMING))
        .isEqualTo("client_stream");
    assertThat(MetricsInterceptor.grpcType(MethodDescriptor.MethodType.SERVER_STREAMING))
        .isEqualTo("server_stream");
    assertThat(MetricsInterceptor.grpcType(MethodDescriptor.MethodType.BIDI_STREAMING))
        .isEqualTo("bidi_stream");
  }
}
