package io.keel.store.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.etcd.jetcd.api.AuthDisableRequest;
import io.etcd.jetcd.api.AuthDisableResponse;
import io.etcd.jetcd.api.AuthEnableRequest;
import io.etcd.jetcd.api.AuthEnableResponse;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthRoleAddRequest;
import io.etcd.jetcd.api.AuthRoleAddResponse;
import io.etcd.jetcd.api.AuthRoleDeleteRequest;
import io.etcd.jetcd.api.AuthRoleDeleteResponse;
import io.etcd.jetcd.api.AuthRoleGetRequest;
import io.etcd.jetcd.api.AuthRoleGetResponse;
import io.etcd.jetcd.api.AuthRoleGrantPermissionRequest;
import io.etcd.jetcd.api.AuthRoleGrantPermissionResponse;
import io.etcd.jetcd.api.AuthRoleListRequest;
import io.etcd.jetcd.api.AuthRoleListResponse;
import io.etcd.jetcd.api.AuthRoleRevokePermissionRequest;
import io.etcd.jetcd.api.AuthRoleRevokePermissionResponse;
import io.etcd.jetcd.api.AuthUserAddRequest;
import io.etcd.jetcd.api.AuthUserAddResponse;
import io.etcd.jetcd.api.AuthUserChangePasswordRequest;
import io.etcd.jetcd.api.AuthUserChangePasswordResponse;
import io.etcd.jetcd.api.AuthUserDeleteRequest;
import io.etcd.jetcd.api.AuthUserDeleteResponse;
import io.etcd.jetcd.api.AuthUserGetRequest;
import io.etcd.jetcd.api.AuthUserGetResponse;
import io.etcd.jetcd.api.AuthUserGrantRoleRequest;
import io.etcd.jetcd.api.AuthUserGrantRoleResponse;
import io.etcd.jetcd.api.AuthUserListRequest;
import io.etcd.jetcd.api.AuthUserListResponse;
import io.etcd.jetcd.api.AuthUserRevokeRoleRequest;
import io.etcd.jetcd.api.AuthUserRevokeRoleResponse;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.AuthenticateResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.grpc.stub.StreamObserver;
import io.keel.store.auth.AuthStore;
import io.keel.store.auth.Caller;
import io.keel.store.auth.Passwords;
import io.keel.store.auth.Tokens;
import io.keel.store.raft.Command;
import io.keel.store.server.LocalMember;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * etcd's Auth service. Changes go through the log and are checked when applied ({@code
 * raft/AuthEntries}); passwords are hashed here, before they are proposed. Gets and lists answer
 * from local state after a linearizable read, with etcd's rules: lists need the root role, a user
 * may get itself, and a role may be got by its holders.
 */
final class AuthService extends AuthGrpc.AuthImplBase {
  private final LocalMember member;

  AuthService(LocalMember member) {
    this.member = member;
  }

  private AuthStore auth() {
    return member.auth();
  }

  @Override
  public void authEnable(AuthEnableRequest request, StreamObserver<AuthEnableResponse> observer) {
    change(Command.AUTH_ENABLE, request, AuthEnableResponse.parser(), observer);
  }

  @Override
  public void authDisable(AuthDisableRequest request,
      StreamObserver<AuthDisableResponse> observer) {
    change(Command.AUTH_DISABLE, request, AuthDisableResponse.parser(), observer);
  }

  /**
   * Checks the password on this member, then logs a new token for the user, so that every member
   * knows it, as etcd's simple tokens. The password check (PBKDF2) runs on the read executor.
   */
  @Override
  public void authenticate(AuthenticateRequest request,
      StreamObserver<AuthenticateResponse> observer) {
    CompletableFuture<AuthenticateResponse> result = member.linearizableRead(() -> {
      auth().checkPassword(request.getName(), request.getPassword());
      return AuthenticateRequest.newBuilder().setName(request.getName())
          .setPassword(Tokens.newToken()).build();
    }).thenCompose(withToken -> member.write(Command.AUTHENTICATE, withToken,
        AuthenticateResponse.parser()))
        // a follower answers once it has applied the entry too: the token works here at once
        .thenCompose(issued -> member.linearizableRead(() -> issued));
    GrpcErrors.reply(result, this::withMemberHeader, observer);
  }

  @Override
  public void userAdd(AuthUserAddRequest request, StreamObserver<AuthUserAddResponse> observer) {
    change(Command.USER_ADD, () -> request.toBuilder()
            .setPassword(Passwords.hash(request.getPassword())).build(),
        AuthUserAddResponse.parser(), observer);
  }

  @Override
  public void userChangePassword(AuthUserChangePasswordRequest request,
      StreamObserver<AuthUserChangePasswordResponse> observer) {
    change(Command.USER_CHANGE_PASSWORD, () -> request.toBuilder()
            .setPassword(Passwords.hash(request.getPassword())).build(),
        AuthUserChangePasswordResponse.parser(), observer);
  }

  @Override
  public void userDelete(AuthUserDeleteRequest request,
      StreamObserver<AuthUserDeleteResponse> observer) {
    change(Command.USER_DELETE, request, AuthUserDeleteResponse.parser(), observer);
  }

  @Override
  public void userGrantRole(AuthUserGrantRoleRequest request,
      StreamObserver<AuthUserGrantRoleResponse> observer) {
    change(Command.USER_GRANT_ROLE, request, AuthUserGrantRoleResponse.parser(), observer);
  }

  @Override
  public void userRevokeRole(AuthUserRevokeRoleRequest request,
      StreamObserver<AuthUserRevokeRoleResponse> observer) {
    change(Command.USER_REVOKE_ROLE, request, AuthUserRevokeRoleResponse.parser(), observer);
  }

  @Override
  public void roleAdd(AuthRoleAddRequest request, StreamObserver<AuthRoleAddResponse> observer) {
    change(Command.ROLE_ADD, request, AuthRoleAddResponse.parser(), observer);
  }

  @Override
  public void roleDelete(AuthRoleDeleteRequest request,
      StreamObserver<AuthRoleDeleteResponse> observer) {
    change(Command.ROLE_DELETE, request, AuthRoleDeleteResponse.parser(), observer);
  }

  @Override
  public void roleGrantPermission(AuthRoleGrantPermissionRequest request,
      StreamObserver<AuthRoleGrantPermissionResponse> observer) {
    change(Command.ROLE_GRANT_PERMISSION, request, AuthRoleGrantPermissionResponse.parser(), observer);
  }

  @Override
  public void roleRevokePermission(AuthRoleRevokePermissionRequest request,
      StreamObserver<AuthRoleRevokePermissionResponse> observer) {
    change(Command.ROLE_REVOKE_PERMISSION, request, AuthRoleRevokePermissionResponse.parser(), observer);
  }

  @Override
  public void userGet(AuthUserGetRequest request, StreamObserver<AuthUserGetResponse> observer) {
    read(caller -> {
      if (!caller.user().equals(request.getName())) {
        auth().checkAdmin(caller);
      }
      return AuthUserGetResponse.newBuilder().setHeader(member.header())
          .addAllRoles(auth().user(request.getName()).roles()).build();
    }, observer);
  }

  @Override
  public void userList(AuthUserListRequest request,
      StreamObserver<AuthUserListResponse> observer) {
    read(caller -> {
      auth().checkAdmin(caller);
      return AuthUserListResponse.newBuilder().setHeader(member.header())
          .addAllUsers(auth().userNames()).build();
    }, observer);
  }

  @Override
  public void roleGet(AuthRoleGetRequest request, StreamObserver<AuthRoleGetResponse> observer) {
    read(caller -> {
      if (!auth().hasRole(caller.user(), request.getRole())) {
        auth().checkAdmin(caller);
      }
      return AuthRoleGetResponse.newBuilder().setHeader(member.header())
          .addAllPerm(auth().role(request.getRole()).permissions()).build();
    }, observer);
  }

  @Override
  public void roleList(AuthRoleListRequest request,
      StreamObserver<AuthRoleListResponse> observer) {
    read(caller -> {
      auth().checkAdmin(caller);
      return AuthRoleListResponse.newBuilder().setHeader(member.header())
          .addAllRoles(auth().roleNames()).build();
    }, observer);
  }

  private <T extends Message> void change(Command command, MessageLite request, Parser<T> parser,
      StreamObserver<T> observer) {
    change(command, () -> request, parser, observer);
  }

  /** Logs the request as its caller; the checks run when it is applied. */
  private <T extends Message> void change(Command command, Supplier<MessageLite> request,
      Parser<T> parser, StreamObserver<T> observer) {
    CompletableFuture<T> result;
    try {
      Caller caller = AuthInterceptor.currentCaller(auth());
      result = member.write(caller, command, request.get(), parser);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    GrpcErrors.reply(result, this::withMemberHeader, observer);
  }

  /** The answer with its header completed: this member's ids, the term, the applied revision. */
  @SuppressWarnings("unchecked")
  private <T extends Message> T withMemberHeader(T response) {
    FieldDescriptor header = response.getDescriptorForType().findFieldByName("header");
    ResponseHeader partial = (ResponseHeader) response.getField(header);
    return (T) response.toBuilder().setField(header, member.complete(partial)).build();
  }

  private <R> void read(Function<Caller, R> answer, StreamObserver<R> observer) {
    CompletableFuture<R> result;
    try {
      Caller caller = AuthInterceptor.currentCaller(auth());
      result = member.linearizableRead(() -> answer.apply(caller));
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    GrpcErrors.reply(result, r -> r, observer);
  }
}
