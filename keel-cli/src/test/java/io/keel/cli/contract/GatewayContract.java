package io.keel.cli.contract;

import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 on the client port, beside gRPC: etcd's JSON gateway with its streams, and
 * {@code /metrics}. (Answer by answer comparison with etcd: {@code GatewayDifferentialTest}.)
 */
public interface GatewayContract extends StoreFixture {

    private GatewayHttp http() {
        return new GatewayHttp(store().endpoint());
    }

    private String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    default void gatewayWatchStreamsEventsWrittenAfterItStarts() {
        String key = base64(prefix() + "watched");
        try (var lines = http().stream("/v3/watch", "{\"create_request\":{\"key\":\"" + key + "\"}}")) {
            assertThat(lines.next()).contains("\"created\":true");
            await(client().getKVClient().put(key("watched"), bytes("v1")));
            await(client().getKVClient().delete(key("watched")));
            String put = lines.next();
            assertThat(put).startsWith("{\"result\":").contains("\"key\":\"" + key + "\"")
                    .contains("\"value\":\"" + base64("v1") + "\"").doesNotContain("DELETE");
            assertThat(lines.next()).contains("\"type\":\"DELETE\"").contains("\"key\":\"" + key + "\"");
        }
    }

    @Test
    default void gatewayKeepAliveAnswersEveryRequestOfTheBody() {
        long lease = await(client().getLeaseClient().grant(60)).getID();
        String request = "{\"ID\":\"" + lease + "\"}";
        try (var lines = http().stream("/v3/lease/keepalive", request + "\n" + request)) {
            for (int i = 0; i < 2; i++) {
                assertThat(lines.next()).contains("\"ID\":\"" + lease + "\"").contains("\"TTL\":\"60\"");
            }
        }
    }

    @Test
    default void gatewaySnapshotStreamsChunksUntilNothingRemains() {
        await(client().getKVClient().put(key("in-snapshot"), bytes("v")));
        Pattern remaining = Pattern.compile("\"remaining_bytes\":\"(\\d+)\"");
        long blobBytes = 0;
        String last = null;
        try (var lines = http().stream("/v3/maintenance/snapshot", "{}")) {
            for (String line = lines.next(); !line.equals(GatewayHttp.Lines.END); line = lines.next()) {
                assertThat(line).startsWith("{\"result\":");
                Matcher blob = Pattern.compile("\"blob\":\"([^\"]*)\"").matcher(line);
                if (blob.find()) {
                    blobBytes += Base64.getDecoder().decode(blob.group(1)).length;
                }
                last = line;
            }
        }
        assertThat(blobBytes).isPositive();
        assertThat(last).as("the last chunk").isNotNull();
        assertThat(remaining.matcher(last).find()).as("the last chunk leaves nothing remaining: " + last).isFalse();
    }

    @Test
    default void gatewayAnswersMalformedJsonWithInvalidArgument() {
        GatewayHttp.Answer answer = http().post("/v3/kv/range", "{\"key\": ");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("\"code\":3").containsPattern("\"error\":\"[^\"]+\"");
    }

    @Test
    default void metricsOnTheClientPortUseEtcdsNames() {
        await(client().getKVClient().put(key("counted"), bytes("v")));
        assertThatThrownBy(() -> await(client().getKVClient().put(ByteSequence.EMPTY, bytes("v"))))
                .hasMessageContaining("key is not provided");
        GatewayHttp.Answer metrics = http().get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("(?m)^etcd_server_has_leader 1(\\.0)?$")
                .containsPattern("(?m)^etcd_server_is_leader 1(\\.0)?$")
                .containsPattern("(?m)^etcd_server_leader_changes_seen_total [1-9]")
                .containsPattern("(?m)^etcd_server_proposals_committed_total [1-9]")
                .containsPattern("(?m)^etcd_server_proposals_applied_total [1-9]")
                .containsPattern("(?m)^etcd_mvcc_db_total_size_in_bytes [1-9]")
                .containsPattern("(?m)^etcd_debugging_mvcc_keys_total [1-9]")
                .containsPattern("(?m)^etcd_server_quota_backend_bytes [1-9]")
                // the log's write and fsync, which the put above waited for
                .containsPattern("(?m)^etcd_disk_wal_fsync_duration_seconds_bucket\\{le=\"0.001\"} [0-9]")
                .containsPattern("(?m)^etcd_disk_wal_fsync_duration_seconds_bucket\\{le=\"8.192\"} [1-9]")
                .containsPattern("(?m)^etcd_disk_wal_fsync_duration_seconds_count [1-9]")
                // go-grpc-prometheus's call counters, which etcd's alerts on failed calls read
                .containsPattern("(?m)^grpc_server_started_total\\{grpc_method=\"Put\","
                        + "grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"} [1-9]")
                .containsPattern("(?m)^grpc_server_handled_total\\{grpc_code=\"OK\",grpc_method=\"Put\","
                        + "grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"} [1-9]")
                .containsPattern("(?m)^grpc_server_handled_total\\{grpc_code=\"InvalidArgument\","
                        + "grpc_method=\"Put\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"} [1-9]")
                // Prometheus's process metrics; etcdctl check datascale reads the first
                .containsPattern("(?m)^process_resident_memory_bytes [1-9]")
                .containsPattern("(?m)^process_open_fds [1-9]")
                .containsPattern("(?m)^process_cpu_seconds_total [0-9]");
    }

    /** The methods etcd 3.4 lists in its gRPC counters from the start, as service/method type. */
    List<String> ETCD_GRPC_METHODS = List.of(
            "etcdserverpb.Auth/AuthDisable unary", "etcdserverpb.Auth/AuthEnable unary",
            "etcdserverpb.Auth/Authenticate unary", "etcdserverpb.Auth/RoleAdd unary",
            "etcdserverpb.Auth/RoleDelete unary", "etcdserverpb.Auth/RoleGet unary",
            "etcdserverpb.Auth/RoleGrantPermission unary", "etcdserverpb.Auth/RoleList unary",
            "etcdserverpb.Auth/RoleRevokePermission unary", "etcdserverpb.Auth/UserAdd unary",
            "etcdserverpb.Auth/UserChangePassword unary", "etcdserverpb.Auth/UserDelete unary",
            "etcdserverpb.Auth/UserGet unary", "etcdserverpb.Auth/UserGrantRole unary",
            "etcdserverpb.Auth/UserList unary", "etcdserverpb.Auth/UserRevokeRole unary",
            "etcdserverpb.Cluster/MemberAdd unary", "etcdserverpb.Cluster/MemberList unary",
            "etcdserverpb.Cluster/MemberPromote unary", "etcdserverpb.Cluster/MemberRemove unary",
            "etcdserverpb.Cluster/MemberUpdate unary", "etcdserverpb.KV/Compact unary",
            "etcdserverpb.KV/DeleteRange unary", "etcdserverpb.KV/Put unary",
            "etcdserverpb.KV/Range unary", "etcdserverpb.KV/Txn unary",
            "etcdserverpb.Lease/LeaseGrant unary", "etcdserverpb.Lease/LeaseKeepAlive bidi_stream",
            "etcdserverpb.Lease/LeaseLeases unary", "etcdserverpb.Lease/LeaseRevoke unary",
            "etcdserverpb.Lease/LeaseTimeToLive unary", "etcdserverpb.Maintenance/Alarm unary",
            "etcdserverpb.Maintenance/Defragment unary", "etcdserverpb.Maintenance/Hash unary",
            "etcdserverpb.Maintenance/HashKV unary", "etcdserverpb.Maintenance/MoveLeader unary",
            "etcdserverpb.Maintenance/Snapshot server_stream", "etcdserverpb.Maintenance/Status unary",
            "etcdserverpb.Watch/Watch bidi_stream", "grpc.health.v1.Health/Check unary",
            "grpc.health.v1.Health/Watch server_stream");

    @Test
    default void metricsCountGrpcMessagesAndListEveryMethodFromTheStart() throws Exception {
        var events = new LinkedBlockingQueue<WatchEvent>();
        long revision = await(client().getKVClient().put(key("messages"), bytes("v1")))
                .getHeader().getRevision();
        // from the put's revision: a watch is created after watch() returns
        var fromPut = WatchOption.builder().withRevision(revision).build();
        try (var watch = client().getWatchClient().watch(key("messages"), fromPut,
                response -> events.addAll(response.getEvents()))) {
            assertThat(events.poll(30, TimeUnit.SECONDS)).as("the watched put").isNotNull();
            String body = http().get("/metrics").body();
            String counter = "(?m)^grpc_server_%s_total\\{grpc_method=\"%s\",grpc_service=\"etcdserverpb.%s\","
                    + "grpc_type=\"%s\"} [1-9]";
            assertThat(body)
                    .containsPattern(String.format(counter, "msg_received", "Put", "KV", "unary"))
                    .containsPattern(String.format(counter, "msg_sent", "Put", "KV", "unary"))
                    .containsPattern(String.format(counter, "msg_received", "Watch", "Watch", "bidi_stream"))
                    .containsPattern(String.format(counter, "msg_sent", "Watch", "Watch", "bidi_stream"))
                    // every code of every method is listed from the start, at zero until it happens
                    .containsPattern("(?m)^grpc_server_handled_total\\{grpc_code=\"DataLoss\","
                            + "grpc_method=\"MoveLeader\",grpc_service=\"etcdserverpb.Maintenance\","
                            + "grpc_type=\"unary\"} 0(\\.0)?$");
            Matcher started = Pattern.compile("(?m)^grpc_server_started_total\\{grpc_method=\"([^\"]+)\","
                    + "grpc_service=\"([^\"]+)\",grpc_type=\"([^\"]+)\"}").matcher(body);
            List<String> listed = started.results()
                    .map(m -> m.group(2) + "/" + m.group(1) + " " + m.group(3)).toList();
            assertThat(listed).containsAll(ETCD_GRPC_METHODS)
                    .noneMatch(m -> m.startsWith("etcdserverpb.Watch/Progress"));
        }
    }
}
