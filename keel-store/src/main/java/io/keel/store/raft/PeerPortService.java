package io.keel.store.raft;

import java.io.InputStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import io.keel.store.grpc.RawBytes;
import org.apache.ratis.grpc.server.GrpcServices;
import org.apache.ratis.thirdparty.io.grpc.KnownLength;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.MethodDescriptor;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallExecutorSupplier;
import org.apache.ratis.thirdparty.io.grpc.ServerServiceDefinition;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.apache.ratis.thirdparty.io.grpc.netty.NettyServerBuilder;
import org.apache.ratis.thirdparty.io.grpc.stub.ServerCalls;

/**
 * Keel's own calls between members, served on the Raft peer port beside Ratis's services (service
 * {@code keel.internal.Peer}): members talk to each other only on their peer URLs, as etcd's do,
 * so clients may be served on addresses the other members cannot reach. Every call is unary, its
 * messages encoded by the caller. A call whose answer is not set yet (the member is starting) is
 * refused as UNAVAILABLE with {@link #STARTING}, before anything happened.
 */
public final class PeerPortService implements GrpcServices.Customizer {
  static final String SERVICE = "keel.internal.Peer";
  /** The description of the refusal of a call this member does not answer yet. */
  public static final String STARTING = "keel: member is starting";

  /**
   * The calls, by what they ask. A call marked to run on the transport thread has an answer that
   * never blocks (it hands work to Raft or reads a field); the others run on gRPC's executor.
   */
  public enum Call {
    /** An empty request answered with the member list (etcd's {@code MemberListResponse}). */
    MEMBERS("Members", false),
    /** A follower's tagged log entry, for the leader to append; answered with the result. */
    PROPOSE("Propose", true),
    /** An empty request answered with the voter's current Raft term, 8 bytes. */
    RAFT_TERM("RaftTerm", true),
    /** etcd's lease keep-alive and time-to-live requests and membership changes, for the leader. */
    LEASE_KEEP_ALIVE("LeaseKeepAlive", true),
    LEASE_TIME_TO_LIVE("LeaseTimeToLive", true),
    MEMBER_ADD("MemberAdd", false),
    MEMBER_REMOVE("MemberRemove", false);

    private final String fullMethodName;
    private final boolean onTransportThread;

    Call(String method, boolean onTransportThread) {
      this.fullMethodName = SERVICE + "/" + method;
      this.onTransportThread = onTransportThread;
    }

    /** The gRPC method name callers use. */
    public String fullMethodName() {
      return fullMethodName;
    }
  }

  /** How a failed answer reaches the caller: a gRPC status code value and a description. */
  public record Refusal(int code, String description) {}

  /** Told of every answered call: which, its gRPC status code value, and how long it took. */
  @FunctionalInterface
  public interface Answered {
    void answered(Call call, int code, long nanos);
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return RawBytes.message(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      return RawBytes.read(stream, stream instanceof KnownLength);
    }
  };


  private final Map<Call, Function<byte[], CompletableFuture<byte[]>>> answers =
      new ConcurrentHashMap<>();
  private volatile Function<Throwable, Refusal> refusals =
      error -> new Refusal(Status.Code.UNAVAILABLE.value(), error.toString());
  private volatile Answered answered = (call, code, nanos) -> {};

  /** From now on, answers {@code call} with what {@code answer} completes with. */
  public void answer(Call call, Function<byte[], CompletableFuture<byte[]>> answer) {
    answers.put(call, answer);
  }

  /** How the errors answers complete with are told to callers. */
  public void refuseWith(Function<Throwable, Refusal> refusals) {
    this.refusals = refusals;
  }

  /** Who is told of each answered call (metrics). */
  public void tellAnswered(Answered answered) {
    this.answered = answered;
  }

  @Override
  public NettyServerBuilder customize(NettyServerBuilder builder,
      EnumSet<GrpcServices.Type> types) {
    if (!types.contains(GrpcServices.Type.SERVER)) {
      return builder;
    }
    Set<String> direct = EnumSet.allOf(Call.class).stream().filter(c -> c.onTransportThread)
        .map(Call::fullMethodName).collect(Collectors.toUnmodifiableSet());
    Executor transportThread = Runnable::run;
    // null: the server's default executor, for Ratis's own calls and the other calls
    return builder.addService(definition()).callExecutor(new ServerCallExecutorSupplier() {
      @Override
      public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
        return direct.contains(call.getMethodDescriptor().getFullMethodName())
            ? transportThread : null;
      }
    });
  }

  private ServerServiceDefinition definition() {
    ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(SERVICE);
    for (Call call : Call.values()) {
      MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(call.fullMethodName())
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();
      service.addMethod(method, ServerCalls.asyncUnaryCall((request, observer) -> {
        long start = System.nanoTime();
        Function<byte[], CompletableFuture<byte[]>> answer = answers.get(call);
        if (answer == null) {
          observer.onError(Status.UNAVAILABLE.withDescription(STARTING).asRuntimeException());
          return;
        }
        CompletableFuture<byte[]> response;
        try {
          response = answer.apply(request);
        } catch (RuntimeException e) {
          response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((bytes, error) -> {
          if (error != null) {
            Refusal refusal = refusals.apply(error);
            answered.answered(call, refusal.code(), System.nanoTime() - start);
            observer.onError(Status.fromCodeValue(refusal.code())
                .withDescription(refusal.description()).asRuntimeException());
          } else {
            answered.answered(call, Status.Code.OK.value(), System.nanoTime() - start);
            observer.onNext(bytes);
            observer.onCompleted();
          }
        });
      }));
    }
    return service.build();
  }
}
