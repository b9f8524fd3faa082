package io.keel.cli.contract;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * etcd 3.4's {@code Lease/LeaseLeases}, which neither jetcd nor jetcd-grpc's generated stubs
 * offer: an empty request, answered by {@code {header = 1, repeated LeaseStatus{ID = 1} = 2}}.
 */
final class LeaseList {

    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<byte[], byte[]> LEASE_LEASES = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("etcdserverpb.Lease/LeaseLeases")
            .setRequestMarshaller(RAW)
            .setResponseMarshaller(RAW)
            .build();

    private LeaseList() {}

    /** The ids of every lease the server holds. */
    static List<Long> ids(ManagedChannel channel) {
        byte[] response = ClientCalls.blockingUnaryCall(channel, LEASE_LEASES,
                CallOptions.DEFAULT.withDeadlineAfter(Wire.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                new byte[0]);
        try {
            return decode(response);
        } catch (IOException e) {
            throw new AssertionError("undecodable LeaseLeasesResponse", e);
        }
    }

    private static List<Long> decode(byte[] response) throws IOException {
        List<Long> ids = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(response);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                CodedInputStream status = CodedInputStream.newInstance(in.readByteArray());
                for (int inner = status.readTag(); inner != 0; inner = status.readTag()) {
                    if (WireFormat.getTagFieldNumber(inner) == 1 && WireFormat.getTagWireType(inner) == WireFormat.WIRETYPE_VARINT) {
                        ids.add(status.readInt64());
                    } else {
                        status.skipField(inner);
                    }
                }
            } else {
                in.skipField(tag);
            }
        }
        return ids;
    }
}
