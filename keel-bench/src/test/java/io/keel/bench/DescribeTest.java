package io.keel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class DescribeTest {
  @Test
  void grpcErrorsAreCodeAndFirstLineOfDescription() {
    var e = Status.UNAVAILABLE.withDescription("io exception\n\tat a.b.C(C.java:1)").asRuntimeException();
    assertThat(Workload.errorText(e)).isEqualTo("UNAVAILABLE: io exception");
  }

  @Test
  void otherErrorsAreTheirMessageCut() {
    assertThat(Workload.errorText(new IllegalStateException("x".repeat(500))))
        .hasSize(303).endsWith("...");
    assertThat(Workload.errorText(new IllegalStateException())).contains("IllegalStateException");
    assertThat(Workload.errorText(null)).isEmpty();
  }
}
