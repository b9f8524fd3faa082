package io.keel.store.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.etcd.jetcd.api.AuthDisableResponse;
import io.etcd.jetcd.api.AuthEnableResponse;
import io.etcd.jetcd.api.AuthRoleAddRequest;
import io.etcd.jetcd.api.AuthRoleAddResponse;
import io.etcd.jetcd.api.AuthRoleDeleteRequest;
import io.etcd.jetcd.api.AuthRoleDeleteResponse;
import io.etcd.jetcd.api.AuthRoleGrantPermissionRequest;
import io.etcd.jetcd.api.AuthRoleGrantPermissionResponse;
import io.etcd.jetcd.api.AuthRoleRevokePermissionRequest;
import io.etcd.jetcd.api.AuthRoleRevokePermissionResponse;
import io.etcd.jetcd.api.AuthUserAddRequest;
import io.etcd.jetcd.api.AuthUserAddResponse;
import io.etcd.jetcd.api.AuthUserChangePasswordRequest;
import io.etcd.jetcd.api.AuthUserChangePasswordResponse;
import io.etcd.jetcd.api.AuthUserDeleteRequest;
import io.etcd.jetcd.api.AuthUserDeleteResponse;
import io.etcd.jetcd.api.AuthUserGrantRoleRequest;
import io.etcd.jetcd.api.AuthUserGrantRoleResponse;
import io.etcd.jetcd.api.AuthUserRevokeRoleRequest;
import io.etcd.jetcd.api.AuthUserRevokeRoleResponse;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.AuthenticateResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.keel.store.auth.AuthStore;
import io.keel.store.auth.Caller;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.mvcc.StoreError;

/**
 * Applies the auth store's log entries. Every change but {@code AUTHENTICATE} needs an admin
 * (auth off, or the root role), as etcd's needAdminPermission. User changes log a password hash
 * in the request's password field, never the password; {@code AUTHENTICATE} logs the user and, in
 * the password field, the token it hands out.
 */
final class AuthEntries {
  private final AuthStore auth;
  private final MvccStore store;

  AuthEntries(AuthStore auth, MvccStore store) {
    this.auth = auth;
    this.store = store;
  }

  MessageLite apply(Command command, byte[] body, Caller caller)
      throws InvalidProtocolBufferException {
    if (command == Command.AUTHENTICATE) {
      var r = AuthenticateRequest.parseFrom(body);
      auth.authenticate(r.getName(), r.getPassword());
      return AuthenticateResponse.newBuilder().setHeader(header()).setToken(r.getPassword())
          .build();
    }
    auth.checkAdmin(caller);
    return switch (command) {
      case AUTH_ENABLE -> {
        auth.enable();
        yield AuthEnableResponse.newBuilder().setHeader(header()).build();
      }
      case AUTH_DISABLE -> {
        auth.disable();
        yield AuthDisableResponse.newBuilder().setHeader(header()).build();
      }
      case USER_ADD -> {
        var r = AuthUserAddRequest.parseFrom(body);
        auth.userAdd(r.getName(), r.getPassword());
        yield AuthUserAddResponse.newBuilder().setHeader(header()).build();
      }
      case USER_DELETE -> {
        auth.userDelete(AuthUserDeleteRequest.parseFrom(body).getName());
        yield AuthUserDeleteResponse.newBuilder().setHeader(header()).build();
      }
      case USER_CHANGE_PASSWORD -> {
        var r = AuthUserChangePasswordRequest.parseFrom(body);
        auth.changePassword(r.getName(), r.getPassword());
        yield AuthUserChangePasswordResponse.newBuilder().setHeader(header()).build();
      }
      case USER_GRANT_ROLE -> {
        var r = AuthUserGrantRoleRequest.parseFrom(body);
        auth.grantRole(r.getUser(), r.getRole());
        yield AuthUserGrantRoleResponse.newBuilder().setHeader(header()).build();
      }
      case USER_REVOKE_ROLE -> {
        var r = AuthUserRevokeRoleRequest.parseFrom(body);
        auth.revokeRole(r.getName(), r.getRole());
        yield AuthUserRevokeRoleResponse.newBuilder().setHeader(header()).build();
      }
      case ROLE_ADD -> {
        auth.roleAdd(AuthRoleAddRequest.parseFrom(body).getName());
        yield AuthRoleAddResponse.newBuilder().setHeader(header()).build();
      }
      case ROLE_DELETE -> {
        auth.roleDelete(AuthRoleDeleteRequest.parseFrom(body).getRole());
        yield AuthRoleDeleteResponse.newBuilder().setHeader(header()).build();
      }
      case ROLE_GRANT_PERMISSION -> {
        var r = AuthRoleGrantPermissionRequest.parseFrom(body);
        if (!r.hasPerm()) {
          throw StoreError.PERMISSION_NOT_GIVEN.exception();
        }
        auth.grantPermission(r.getName(), r.getPerm());
        yield AuthRoleGrantPermissionResponse.newBuilder().setHeader(header()).build();
      }
      case ROLE_REVOKE_PERMISSION -> {
        var r = AuthRoleRevokePermissionRequest.parseFrom(body);
        auth.revokePermission(r.getRole(), r.getKey(), r.getRangeEnd());
        yield AuthRoleRevokePermissionResponse.newBuilder().setHeader(header()).build();
      }
      default -> throw new IllegalArgumentException("not an auth entry: " + command);
    };
  }

  private ResponseHeader header() {
    return ResponseHeader.newBuilder().setRevision(store.currentRevision()).build();
  }
}
