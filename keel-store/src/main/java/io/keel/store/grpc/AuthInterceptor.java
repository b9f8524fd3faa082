package io.keel.store.grpc;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.keel.store.auth.AuthStore;
import io.keel.store.auth.Caller;
import io.keel.store.mvcc.MvccException;
import java.util.Set;

/**
 * Carries a call's auth token (metadata {@code token}, or {@code authorization} from the JSON
 * gateway) in its {@link Context}, and refuses the admin-only calls of a caller without the root
 * role, as etcd's authMaintenanceServer and membership checks do: Defragment, Snapshot, Hash and
 * HashKV (refused with etcd's auth package error as it is, {@code UNKNOWN "auth: permission
 * denied"}), and MemberAdd/Remove/Update/Promote (refused with the usual gRPC error).
 */
public final class AuthInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> TOKEN =
      Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
  /** Where the JSON gateway puts an HTTP request's Authorization header. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> CALL_TOKEN = Context.key("keel-auth-token");

  private static final Set<String> ADMIN_ONLY_MAINTENANCE = Set.of(
      MaintenanceGrpc.getDefragmentMethod().getFullMethodName(),
      MaintenanceGrpc.getSnapshotMethod().getFullMethodName(),
      MaintenanceGrpc.getHashMethod().getFullMethodName(),
      MaintenanceGrpc.getHashKVMethod().getFullMethodName());
  private static final Set<String> ADMIN_ONLY_MEMBERSHIP = Set.of(
      ClusterGrpc.getMemberAddMethod().getFullMethodName(),
      ClusterGrpc.getMemberRemoveMethod().getFullMethodName(),
      ClusterGrpc.getMemberUpdateMethod().getFullMethodName(),
      ClusterGrpc.getMemberPromoteMethod().getFullMethodName());

  private final AuthStore auth;

  public AuthInterceptor(AuthStore auth) {
    this.auth = auth;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    String token = headers.get(TOKEN);
    if (token == null) {
      token = headers.get(AUTHORIZATION);
    }
    String method = call.getMethodDescriptor().getFullMethodName();
    boolean maintenance = ADMIN_ONLY_MAINTENANCE.contains(method);
    if (maintenance || ADMIN_ONLY_MEMBERSHIP.contains(method)) {
      try {
        auth.checkAdmin(caller(auth, token));
      } catch (MvccException e) {
        call.close(maintenance
            ? Status.UNKNOWN.withDescription(
                e.error().message().replaceFirst("^etcdserver: ", "auth: "))
            : GrpcErrors.toStatus(e).getStatus(), new Metadata());
        return new ServerCall.Listener<>() {};
      }
    }
    if (token == null) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(Context.current().withValue(CALL_TOKEN, token), call, headers,
        next);
  }

  /**
   * {@code channel}, whose calls carry the token of the call they are made for: the lock and
   * election services act with their caller's permissions, as etcd's in-process client does.
   */
  static io.grpc.Channel passingTokenOn(io.grpc.Channel channel) {
    return io.grpc.ClientInterceptors.intercept(channel, new io.grpc.ClientInterceptor() {
      @Override
      public <Q, A> io.grpc.ClientCall<Q, A> interceptCall(
          io.grpc.MethodDescriptor<Q, A> method, io.grpc.CallOptions options,
          io.grpc.Channel next) {
        String token = currentToken();
        return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<A> listener, Metadata headers) {
            if (token != null) {
              headers.put(TOKEN, token);
            }
            super.start(listener, headers);
          }
        };
      }
    });
  }

  /** The token of the call running on this thread, or null. */
  static String currentToken() {
    return CALL_TOKEN.get();
  }

  /** The caller of the current call. */
  static Caller currentCaller(AuthStore auth) {
    return caller(auth, currentToken());
  }

  /**
   * The caller a token stands for; {@link Caller#ANONYMOUS} without one.
   *
   * @throws MvccException INVALID_AUTH_TOKEN for a token this member does not know (any more)
   */
  static Caller caller(AuthStore auth, String token) {
    if (token == null) {
      return Caller.ANONYMOUS;
    }
    return auth.callerOf(token)
        .orElseThrow(io.keel.store.mvcc.StoreError.INVALID_AUTH_TOKEN::exception);
  }
}
