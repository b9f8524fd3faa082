package io.keel.store.http;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.keel.store.grpc.RawBytes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * etcd 3.4's gRPC-gateway paths ({@code POST /v3/kv/range} and so on, each also under
 * {@code /v3beta/}), as its {@code rpc.proto} annotates them, mapped to the gRPC calls.
 */
final class GatewayRoutes {
  /** One gateway path: the call it makes and the shape of its messages. */
  record Route(io.grpc.MethodDescriptor<byte[], byte[]> call, Descriptor request,
      Descriptor response) {
    boolean streamsResponses() {
      return call.getType() != MethodType.UNARY;
    }

    boolean streamsRequests() {
      return call.getType() == MethodType.BIDI_STREAMING;
    }
  }

  private static final String[] PREFIXES = {"/v3/", "/v3beta/"};
  private static final Map<String, Route> ROUTES = new HashMap<>();

  static {
    add("KV", "Range", "kv/range");
    add("KV", "Put", "kv/put");
    add("KV", "DeleteRange", "kv/deleterange");
    add("KV", "Txn", "kv/txn");
    add("KV", "Compact", "kv/compaction");
    add("Watch", "Watch", "watch");
    add("Lease", "LeaseGrant", "lease/grant");
    add("Lease", "LeaseRevoke", "lease/revoke", "kv/lease/revoke");
    add("Lease", "LeaseKeepAlive", "lease/keepalive");
    add("Lease", "LeaseTimeToLive", "lease/timetolive", "kv/lease/timetolive");
    add("Lease", "LeaseLeases", "lease/leases", "kv/lease/leases");
    add("Cluster", "MemberAdd", "cluster/member/add");
    add("Cluster", "MemberRemove", "cluster/member/remove");
    add("Cluster", "MemberUpdate", "cluster/member/update");
    add("Cluster", "MemberList", "cluster/member/list");
    add("Cluster", "MemberPromote", "cluster/member/promote");
    add("Maintenance", "Alarm", "maintenance/alarm");
    add("Maintenance", "Status", "maintenance/status");
    add("Maintenance", "Defragment", "maintenance/defragment");
    add("Maintenance", "Hash", "maintenance/hash");
    add("Maintenance", "Snapshot", "maintenance/snapshot");
    add("Maintenance", "MoveLeader", "maintenance/transfer-leadership");
    add("Auth", "AuthEnable", "auth/enable");
    add("Auth", "AuthDisable", "auth/disable");
    add("Auth", "Authenticate", "auth/authenticate");
    add("Auth", "UserAdd", "auth/user/add");
    add("Auth", "UserGet", "auth/user/get");
    add("Auth", "UserList", "auth/user/list");
    add("Auth", "UserDelete", "auth/user/delete");
    add("Auth", "UserChangePassword", "auth/user/changepw");
    add("Auth", "UserGrantRole", "auth/user/grant");
    add("Auth", "UserRevokeRole", "auth/user/revoke");
    add("Auth", "RoleAdd", "auth/role/add");
    add("Auth", "RoleGet", "auth/role/get");
    add("Auth", "RoleList", "auth/role/list");
    add("Auth", "RoleDelete", "auth/role/delete");
    add("Auth", "RoleGrantPermission", "auth/role/grant");
    add("Auth", "RoleRevokePermission", "auth/role/revoke");
    add(io.etcd.jetcd.api.lock.JetcdProto.getDescriptor(), "Lock", "Lock", "lock/lock");
    add(io.etcd.jetcd.api.lock.JetcdProto.getDescriptor(), "Lock", "Unlock", "lock/unlock");
    for (String call : new String[] {"Campaign", "Proclaim", "Leader", "Observe", "Resign"}) {
      add(io.etcd.jetcd.api.ElectionOuterClass.getDescriptor(), "Election", call,
          "election/" + call.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private GatewayRoutes() {}

  /** The route serving {@code path}, if the gateway has one. */
  static Optional<Route> find(String path) {
    return underPrefix(path).map(ROUTES::get);
  }

  /** True for paths under the gateway's prefixes, routed or not (etcd answers "Not Found"). */
  static boolean isGatewayPath(String path) {
    return underPrefix(path).isPresent();
  }

  /** The part of {@code path} after a gateway prefix, if it has one. */
  private static Optional<String> underPrefix(String path) {
    for (String prefix : PREFIXES) {
      if (path.startsWith(prefix)) {
        return Optional.of(path.substring(prefix.length()));
      }
    }
    return Optional.empty();
  }

  private static void add(String service, String method, String... paths) {
    add(EtcdApiSchema.RPC, service, method, paths);
  }

  private static void add(FileDescriptor file, String service, String method, String... paths) {
    ServiceDescriptor serviceDescriptor = file.findServiceByName(service);
    MethodDescriptor methodDescriptor = serviceDescriptor.findMethodByName(method);
    MethodType type = methodDescriptor.isClientStreaming() ? MethodType.BIDI_STREAMING
        : methodDescriptor.isServerStreaming() ? MethodType.SERVER_STREAMING : MethodType.UNARY;
    Route route = new Route(RawBytes.method(serviceDescriptor.getFullName(), method, type),
        methodDescriptor.getInputType(), methodDescriptor.getOutputType());
    for (String path : paths) {
      ROUTES.put(path, route);
    }
  }
}
