package io.keel.store.raft;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.ratis.grpc.server.GrpcServices;
import org.apache.ratis.thirdparty.io.grpc.MethodDescriptor;
import org.apache.ratis.thirdparty.io.grpc.ServerServiceDefinition;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.apache.ratis.thirdparty.io.grpc.netty.NettyServerBuilder;
import org.apache.ratis.thirdparty.io.grpc.stub.ServerCalls;

/**
 * Keel's own call on the Raft peer port, beside Ratis's services: {@code keel.internal.Peer/Members},
 * an empty request answered with the cluster's member list (etcd's {@code MemberListResponse}).
 * A member that joins with {@code --initial-cluster-state existing} knows only its peers' peer
 * URLs, and asks there whether the cluster lists it, as etcd's joining member asks its peers'
 * {@code /members}. Unavailable until {@link #answerMembers} is called.
 */
public final class PeerPortService implements GrpcServices.Customizer {
  static final String SERVICE = "keel.internal.Peer";
  /** The full gRPC method name of the member-list call. */
  public static final String MEMBERS_METHOD = SERVICE + "/Members";

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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

  private volatile Supplier<CompletableFuture<byte[]>> members;

  /** From now on, answers the member-list call with what {@code answer} completes with. */
  public void answerMembers(Supplier<CompletableFuture<byte[]>> answer) {
    this.members = answer;
  }

  @Override
  public NettyServerBuilder customize(NettyServerBuilder builder,
      EnumSet<GrpcServices.Type> types) {
    return types.contains(GrpcServices.Type.SERVER) ? builder.addService(definition()) : builder;
  }

  private ServerServiceDefinition definition() {
    MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MEMBERS_METHOD)
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(method, ServerCalls.asyncUnaryCall((request, observer) -> {
          Supplier<CompletableFuture<byte[]>> answer = members;
          if (answer == null) {
            observer.onError(Status.UNAVAILABLE.withDescription("member is starting")
                .asRuntimeException());
            return;
          }
          answer.get().whenComplete((list, error) -> {
            if (error != null) {
              observer.onError(Status.UNAVAILABLE.withDescription(error.toString())
                  .asRuntimeException());
            } else {
              observer.onNext(list);
              observer.onCompleted();
            }
          });
        }))
        .build();
  }
}
