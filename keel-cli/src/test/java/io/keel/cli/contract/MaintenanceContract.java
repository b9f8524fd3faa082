package io.keel.cli.contract;

import static io.keel.cli.contract.Wire.assertEtcdError;
import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Maintenance;
import io.etcd.jetcd.maintenance.HashKVResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Maintenance: status, hash, alarms, defragment, snapshot. The version string is not compared. */
public interface MaintenanceContract extends StoreFixture {

    private Maintenance maintenance() {
        return client().getMaintenanceClient();
    }

    private long put(String name, String value) {
        return await(client().getKVClient().put(key(name), bytes(value))).getHeader().getRevision();
    }

    /** gRPC's standard health service: {@code grpc_health_probe} and gRPC liveness probes call it. */
    @Test
    default void grpcHealthCheckAnswersServingForTheServerAndNotFoundForOtherServices() {
        var check = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("grpc.health.v1.Health/Check")
                .setRequestMarshaller(RawMessages.INSTANCE).setResponseMarshaller(RawMessages.INSTANCE).build();
        byte[] serving = io.grpc.stub.ClientCalls.blockingUnaryCall(channel(), check,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS), new byte[0]);
        assertThat(serving).as("HealthCheckResponse{status: SERVING}").containsExactly(0x08, 0x01);
        byte[] otherService = {0x0a, 0x03, 'f', 'o', 'o'};
        assertEtcdError(() -> io.grpc.stub.ClientCalls.blockingUnaryCall(channel(), check,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS), otherService),
                Status.Code.NOT_FOUND, "unknown service");
    }

    /** Messages passed as their encoded bytes. */
    enum RawMessages implements io.grpc.MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public java.io.InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(java.io.InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    default void statusDescribesTheLeader() {
        long rev = put("k", "v");
        StatusResponse status = await(maintenance().statusMember(store().endpoint()));
        assertThat(status.getVersion()).isNotBlank();
        assertThat(status.getLeader()).isNotZero().isEqualTo(status.getHeader().getMemberId());
        assertThat(status.getHeader().getRevision()).isGreaterThanOrEqualTo(rev);
        assertThat(status.getRaftTerm()).isPositive();
        assertThat(status.getRaftIndex()).isPositive();
        assertThat(status.getRaftAppliedIndex()).isPositive().isLessThanOrEqualTo(status.getRaftIndex());
        assertThat(status.getDbSize()).isPositive();
        assertThat(status.getDbSizeInUse()).isPositive().isLessThanOrEqualTo(status.getDbSize());
        assertThat(status.getErrorList()).isEmpty();
        assertThat(status.isLearner()).isFalse();
    }

    /** A lone member logs nothing beside the writes (no commit-index entries after each one). */
    @Test
    default void eachWriteOfALoneClientIsOneRaftEntry() {
        put("warm-up", "v");
        long before = await(maintenance().statusMember(store().endpoint())).getRaftIndex();
        for (int i = 0; i < 20; i++) {
            put("one-entry-" + i, "v");
        }
        long after = await(maintenance().statusMember(store().endpoint())).getRaftIndex();
        assertThat(after - before).isEqualTo(20);
    }

    @Test
    default void hashKvOfARevisionDoesNotChangeWithLaterWrites() {
        long compacted = put("k", "v1");
        await(client().getKVClient().compact(compacted));
        long rev = put("k", "v2");
        HashKVResponse before = await(maintenance().hashKV(store().endpoint(), rev));
        assertThat(before.getCompacted()).isEqualTo(compacted);
        assertThat(before.getHeader().getRevision()).isEqualTo(rev);

        long later = put("k", "v3");
        HashKVResponse after = await(maintenance().hashKV(store().endpoint(), rev));
        assertThat(after.getHash()).isEqualTo(before.getHash());
        HashKVResponse current = await(maintenance().hashKV(store().endpoint(), 0));
        assertThat(current.getHash()).isNotEqualTo(before.getHash());
        assertThat(current.getHeader().getRevision()).isEqualTo(later);
        assertThat(await(maintenance().hashKV(store().endpoint(), later)).getHash()).isEqualTo(current.getHash());
    }

    /** Unlike a range read, etcd refuses to hash at the compact revision itself. */
    @Test
    default void hashKvAtOrBelowTheCompactRevisionOrInTheFutureFails() {
        long rev = put("k", "v1");
        long compacted = put("k", "v2");
        await(client().getKVClient().compact(compacted));
        assertEtcdError(maintenance().hashKV(store().endpoint(), rev), Status.Code.OUT_OF_RANGE,
                CompactContract.COMPACTED);
        assertEtcdError(maintenance().hashKV(store().endpoint(), compacted), Status.Code.OUT_OF_RANGE,
                CompactContract.COMPACTED);
        assertEtcdError(maintenance().hashKV(store().endpoint(), compacted + 1000), Status.Code.OUT_OF_RANGE,
                KvContract.FUTURE_REVISION);
    }

    @Test
    default void noAlarmsAreRaised() {
        assertThat(await(maintenance().listAlarms()).getAlarms()).isEmpty();
    }

    @Test
    default void defragmentKeepsTheData() {
        long rev = put("k", "v");
        await(maintenance().defragmentMember(store().endpoint()));
        var got = await(client().getKVClient().get(key("k")));
        assertThat(values(got.getKvs())).containsExactly("v");
        assertThat(got.getKvs().get(0).getModRevision()).isEqualTo(rev);
    }

    @Test
    default void snapshotStreamsANonEmptyDatabase() {
        put("k", "v");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long size = await(maintenance().snapshot(out));
        assertThat(size).isPositive().isEqualTo(out.size());
    }
}
