package io.keel.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.Status;
import io.keel.store.apply.WireExtras;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayJsonTest {
  private static GatewayRoutes.Route route(String path) {
    return GatewayRoutes.find(path).orElseThrow();
  }

  @Test
  void readsProtoAndCamelCaseNamesBase64BytesAndStringInt64s() throws Exception {
    List<byte[]> requests = GatewayJson.requests(
        "{\"key\":\"Zm9v\",\"rangeEnd\":\"AA==\",\"limit\":\"3\",\"sort_order\":\"DESCEND\",\"unknown\":1}",
        route("/v3/kv/range").request());
    RangeRequest range = RangeRequest.parseFrom(requests.get(0));
    assertThat(range.getKey().toStringUtf8()).isEqualTo("foo");
    assertThat(range.getRangeEnd().toByteArray()).containsExactly(0);
    assertThat(range.getLimit()).isEqualTo(3);
    assertThat(range.getSortOrder()).isEqualTo(RangeRequest.SortOrder.DESCEND);
  }

  @Test
  void anEmptyBodyIsOneEmptyRequest() throws Exception {
    List<byte[]> requests = GatewayJson.requests(" ", route("/v3/kv/range").request());
    assertThat(requests).hasSize(1);
    assertThat(RangeRequest.parseFrom(requests.get(0))).isEqualTo(RangeRequest.getDefaultInstance());
  }

  @Test
  void objectsOneAfterAnotherAreAStreamsRequests() throws Exception {
    List<byte[]> requests = GatewayJson.requests("{\"ID\":\"7\"}\n{\"ID\":8}",
        route("/v3/lease/keepalive").request());
    assertThat(requests).hasSize(2);
    assertThat(LeaseKeepAliveRequest.parseFrom(requests.get(1)).getID()).isEqualTo(8);
  }

  @Test
  void fieldsJetcdLacksReachTheServerByNumber() throws Exception {
    var txn = TxnRequest.parseFrom(GatewayJson.requests(
        "{\"compare\":[{\"key\":\"YQ==\",\"target\":\"LEASE\",\"lease\":\"5\"}]}",
        route("/v3/kv/txn").request()).get(0));
    assertThat(txn.getCompare(0).getTargetValue()).isEqualTo(WireExtras.COMPARE_TARGET_LEASE);
    assertThat(WireExtras.compareLease(txn.getCompare(0))).isEqualTo(5);
    var watch = WatchRequest.parseFrom(GatewayJson.requests(
        "{\"create_request\":{\"key\":\"YQ==\",\"watch_id\":\"9\",\"fragment\":true}}",
        route("/v3/watch").request()).get(0));
    assertThat(WireExtras.requestedWatchId(watch.getCreateRequest())).isEqualTo(9);
    assertThat(WireExtras.fragment(watch.getCreateRequest())).isTrue();
  }

  @Test
  void writesProtoNamesAndLeavesDefaultsOut() {
    byte[] response = WireExtras.markFragment(WatchResponse.newBuilder().setWatchId(3).setCreated(true))
        .build().toByteArray();
    assertThat(GatewayJson.response(response, route("/v3/watch").response()))
        .isEqualTo("{\"watch_id\":\"3\",\"created\":true,\"fragment\":true}");
  }

  @Test
  void malformedBodiesAreRefusedNamingTheProblem() {
    var range = route("/v3/kv/range").request();
    assertThatThrownBy(() -> GatewayJson.requests("{\"key\": ", range))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RangeRequest");
    assertThatThrownBy(() -> GatewayJson.requests("[]", range))
        .hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> GatewayJson.requests("{\"key\":\"!!\"}", range))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GatewayJson.requests("{\"limit\":\"many\"}", range))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void errorsCarryTheGrpcCodeAndTheGatewaysHttpStatus() {
    Status notFound = Status.NOT_FOUND.withDescription("etcdserver: requested lease not found");
    assertThat(GatewayJson.error(notFound)).isEqualTo("{\"error\":\"etcdserver: requested lease not found\","
        + "\"message\":\"etcdserver: requested lease not found\",\"code\":5}");
    assertThat(GatewayJson.httpStatus(notFound)).isEqualTo(404);
    assertThat(GatewayJson.httpStatus(Status.OUT_OF_RANGE)).isEqualTo(400);
    assertThat(GatewayJson.httpStatus(Status.FAILED_PRECONDITION)).isEqualTo(412);
    assertThat(GatewayJson.httpStatus(Status.UNAVAILABLE)).isEqualTo(503);
    assertThat(GatewayJson.streamError(Status.UNAVAILABLE.withDescription("etcdserver: no leader")))
        .isEqualTo("{\"error\":{\"grpc_code\":14,\"http_code\":503,\"message\":\"etcdserver: no leader\"}}");
  }
}
