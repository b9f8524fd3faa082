package io.keel.store.grpc;

import com.google.protobuf.CodedOutputStream;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.keel.store.lease.Lease;
import io.keel.store.server.LocalMember;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * etcd 3.4's {@code Lease/LeaseLeases} (leases soonest-expiring first, as etcd lists them), which jetcd-grpc's generated service lacks. The request
 * is empty; the response (header = 1, repeated LeaseStatus{ID = 1} = 2) is encoded by hand.
 */
final class LeaseLeasesMethod {
  private LeaseLeasesMethod() {}

  /** The Lease service's definition with LeaseLeases added. */
  static ServerServiceDefinition addTo(ServerServiceDefinition lease, LocalMember member) {
    var builder = ServerServiceDefinition.builder(lease.getServiceDescriptor().getName());
    lease.getMethods().forEach(builder::addMethod);
    MethodDescriptor<byte[], byte[]> method =
        RawBytes.unaryMethod(lease.getServiceDescriptor().getName(), "LeaseLeases");
    builder.addMethod(method, ServerCalls.asyncUnaryCall((request, observer) -> {
      observer.onNext(encode(member));
      observer.onCompleted();
    }));
    return builder.build();
  }

  private static byte[] encode(LocalMember member) {
    try {
      var bytes = new ByteArrayOutputStream();
      var out = CodedOutputStream.newInstance(bytes);
      out.writeMessage(1, member.header());
      var byExpiry = new java.util.ArrayList<>(member.lessor().all());
      byExpiry.sort(java.util.Comparator.comparing(Lease::expiry).thenComparingLong(Lease::id));
      for (Lease lease : byExpiry) {
        out.writeTag(2, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(CodedOutputStream.computeInt64Size(1, lease.id()));
        out.writeInt64(1, lease.id());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
