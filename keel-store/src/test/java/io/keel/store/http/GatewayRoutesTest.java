package io.keel.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.MethodDescriptor.MethodType;
import org.junit.jupiter.api.Test;

class GatewayRoutesTest {
  @Test
  void pathsUnderBothPrefixesReachEtcdsCalls() {
    assertThat(GatewayRoutes.find("/v3/kv/range").orElseThrow().call().getFullMethodName())
        .isEqualTo("etcdserverpb.KV/Range");
    assertThat(GatewayRoutes.find("/v3beta/kv/compaction").orElseThrow().call().getFullMethodName())
        .isEqualTo("etcdserverpb.KV/Compact");
    assertThat(GatewayRoutes.find("/v3/maintenance/transfer-leadership").orElseThrow().call()
        .getFullMethodName()).isEqualTo("etcdserverpb.Maintenance/MoveLeader");
  }

  @Test
  void leaseCallsAnswerOnTheirKvAliasesToo() {
    assertThat(GatewayRoutes.find("/v3/kv/lease/leases")).isEqualTo(GatewayRoutes.find("/v3/lease/leases"));
    assertThat(GatewayRoutes.find("/v3/kv/lease/revoke").orElseThrow().call().getFullMethodName())
        .isEqualTo("etcdserverpb.Lease/LeaseRevoke");
  }

  @Test
  void streamsAreKnownByTheirCalls() {
    assertThat(GatewayRoutes.find("/v3/watch").orElseThrow().call().getType())
        .isEqualTo(MethodType.BIDI_STREAMING);
    assertThat(GatewayRoutes.find("/v3/maintenance/snapshot").orElseThrow().streamsRequests()).isFalse();
    assertThat(GatewayRoutes.find("/v3/maintenance/snapshot").orElseThrow().streamsResponses()).isTrue();
    assertThat(GatewayRoutes.find("/v3/kv/put").orElseThrow().streamsResponses()).isFalse();
  }

  @Test
  void otherPathsHaveNoRoute() {
    assertThat(GatewayRoutes.find("/v3alpha/kv/range")).isEmpty();
    assertThat(GatewayRoutes.find("/v3/kv/nothing")).isEmpty();
    assertThat(GatewayRoutes.find("/health")).isEmpty();
    assertThat(GatewayRoutes.isGatewayPath("/v3/kv/nothing")).isTrue();
    assertThat(GatewayRoutes.isGatewayPath("/v2/keys")).isFalse();
  }
}
