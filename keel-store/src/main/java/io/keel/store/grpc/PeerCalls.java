package io.keel.store.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.keel.store.http.ClientPortTls;
import io.keel.store.mvcc.StoreError;
import io.keel.store.raft.PeerPortService;
import io.keel.store.raft.RaftNode;
import io.keel.store.server.LocalMember;
import io.keel.store.server.TlsFiles;
import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * This member's side of the calls between members ({@link PeerPortService}): what it answers on
 * its own peer port, and its calls to the other members' advertised peer URLs, one channel per
 * URL.
 *
 * <p>Calls for the leader ({@link #leader}) are tried again when they were refused before
 * anything happened: the member called no longer leads (or its Raft log refused the entry while
 * leadership moved), it is still starting, or the connection never opened. Any other failure goes
 * back to the client, which may not know whether its request took effect, as with etcd.
 */
final class PeerCalls {
  private static final String NOT_LEADER = "keel: not the leader";
  private static final int LEADER_ATTEMPTS = 20;
  /** The longest wait before trying again; a leader becoming known or ready ends it sooner. */
  private static final long RETRY_MILLIS = 100;

  private final LocalMember member;
  private final TlsFiles peerTls;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Map<PeerPortService.Call, Function<byte[], CompletableFuture<byte[]>>>
      leaderAnswers = new ConcurrentHashMap<>();

  /**
   * @param peerTls how this member reaches https:// peer URLs
   * @param metrics where the calls this member answers are counted, beside its client calls
   */
  PeerCalls(LocalMember member, TlsFiles peerTls, MetricsInterceptor metrics) {
    this.member = member;
    this.peerTls = peerTls;
    member.raft().peerPort().refuseWith(PeerCalls::refusal);
    member.raft().peerPort().tellAnswered((call, code, nanos) ->
        metrics.record(call.fullMethodName(), Status.fromCodeValue(code).getCode(), nanos));
  }

  /** Answers {@code call} on this member's peer port with {@code answer}. */
  void answer(PeerPortService.Call call, Function<byte[], CompletableFuture<byte[]>> answer) {
    member.raft().peerPort().answer(call, answer);
  }

  /**
   * Answers {@code call} with {@code answer} while this member leads; otherwise refuses it as "not
   * the leader", which the caller tries again elsewhere.
   */
  void answerAsLeader(PeerPortService.Call call,
      Function<byte[], CompletableFuture<byte[]>> answer) {
    leaderAnswers.put(call, answer);
    answer(call, request -> member.raft().isLeader() ? answer.apply(request)
        : CompletableFuture.failedFuture(StoreError.NO_LEADER.exception()));
  }

  /**
   * The leader's answer to {@code call}: this member's own when it leads, else the current
   * leader's. The answer is handled on the transport thread that read it (one thread hand-off
   * fewer): what waits on it only completes futures and queues replies, which never blocks.
   */
  CompletableFuture<byte[]> leader(PeerPortService.Call call, byte[] request,
      long timeoutSeconds) {
    Function<byte[], CompletableFuture<byte[]>> local = leaderAnswers.get(call);
    return member.raft().leaderEvents()
        .retry(() -> {
              try {
                return member.raft().isLeader() ? local.apply(request)
                    : toLeader(call, request, timeoutSeconds);
              } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
              }
            }, (bytes, error) -> error != null && refusedBeforeAnything(error),
            LEADER_ATTEMPTS, RETRY_MILLIS)
        .exceptionallyCompose(error -> CompletableFuture.failedFuture(unwrap(error)));
  }

  private CompletableFuture<byte[]> toLeader(PeerPortService.Call call, byte[] request,
      long timeoutSeconds) {
    String leader = member.leaderPeerUrl().orElseThrow(StoreError.NO_LEADER::exception);
    return call(leader, call, request, CallOptions.DEFAULT.withWaitForReady()
        .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS).withExecutor(Runnable::run));
  }

  /** Calls {@code call} on the member whose advertised peer URL is {@code peerUrl}. */
  CompletableFuture<byte[]> call(String peerUrl, PeerPortService.Call call, byte[] request,
      long timeoutSeconds) {
    return call(peerUrl, call, request,
        CallOptions.DEFAULT.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS));
  }

  private CompletableFuture<byte[]> call(String peerUrl, PeerPortService.Call call,
      byte[] request, CallOptions options) {
    return RawBytes.call(channel(peerUrl), method(call), options, request);
  }

  /** {@code bytes} parsed as a {@code parser} message; a message that does not parse is CORRUPT. */
  static <T> T parse(Parser<T> parser, byte[] bytes) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw StoreError.CORRUPT.exception();
    }
  }

  private ManagedChannel channel(String peerUrl) {
    return channels.computeIfAbsent(peerUrl, u -> newChannel(URI.create(u), peerTls));
  }

  /** A channel to a member's peer URL: TLS with {@code peerTls} for https://, else plaintext. */
  static ManagedChannel newChannel(URI peerUrl, TlsFiles peerTls) {
    var builder = NettyChannelBuilder.forAddress(peerUrl.getHost(), peerUrl.getPort())
        .maxInboundMessageSize(64 << 20);
    if (peerUrl.getScheme().equals("https") && peerTls.enabled()) {
      builder.sslContext(ClientPortTls.client(peerTls));
    } else {
      builder.usePlaintext();
    }
    return builder.build();
  }

  /** The gRPC method of {@code call}. */
  static MethodDescriptor<byte[], byte[]> method(PeerPortService.Call call) {
    return RawBytes.method(call.fullMethodName(), MethodDescriptor.MethodType.UNARY);
  }

  /** How this member's peer port tells a caller why it did not answer. */
  private static PeerPortService.Refusal refusal(Throwable error) {
    if (RaftNode.refusedBeforeAppend(error)) {
      return new PeerPortService.Refusal(Status.Code.FAILED_PRECONDITION.value(), NOT_LEADER);
    }
    Status status = GrpcErrors.toStatus(error).getStatus();
    return new PeerPortService.Refusal(status.getCode().value(), status.getDescription());
  }

  private static boolean refusedBeforeAnything(Throwable error) {
    if (RaftNode.refusedBeforeAppend(error)) {
      return true;
    }
    if (unwrap(error) instanceof StatusRuntimeException s) {
      Status.Code code = s.getStatus().getCode();
      String description = s.getStatus().getDescription();
      return code == Status.Code.FAILED_PRECONDITION && NOT_LEADER.equals(description)
          || code == Status.Code.UNAVAILABLE && PeerPortService.STARTING.equals(description)
          || code == Status.Code.UNAVAILABLE && s.getCause() instanceof ConnectException;
    }
    return false;
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
  }
}
