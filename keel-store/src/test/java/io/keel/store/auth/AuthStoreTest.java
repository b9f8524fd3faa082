package io.keel.store.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Permission;
import io.keel.store.lease.MutableClock;
import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.StoreError;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AuthStoreTest {
  private final MutableClock clock = new MutableClock();
  private final AuthStore auth = new AuthStore(new Tokens(clock, Duration.ofSeconds(300)));

  private static void refused(StoreError error, Executable change) {
    assertThatThrownBy(change::execute).isInstanceOf(MvccException.class)
        .extracting(e -> ((MvccException) e).error()).isEqualTo(error);
  }

  private void enableWithRoot() {
    auth.userAdd("root", Passwords.hash("rootpw"));
    auth.grantRole("root", AuthStore.ROOT);
    auth.enable();
  }

  private static Permission perm(Permission.Type type, String key) {
    return Permission.newBuilder().setPermType(type).setKey(ByteString.copyFromUtf8(key)).build();
  }

  @Test
  void enablingNeedsARootUserWithTheRootRole() {
    refused(StoreError.ROOT_USER_NOT_EXIST, auth::enable);
    auth.userAdd("root", Passwords.hash("pw"));
    refused(StoreError.ROOT_ROLE_NOT_EXIST, auth::enable);
    auth.grantRole("root", AuthStore.ROOT);
    auth.enable();
    assertThat(auth.enabled()).isTrue();
  }

  @Test
  void everyChangeMovesTheRevisionAndARefusedOneDoesNot() {
    long start = auth.revision();
    auth.roleAdd("r");
    auth.userAdd("u", Passwords.hash("pw"));
    auth.grantRole("u", "r");
    assertThat(auth.revision()).isEqualTo(start + 3);
    refused(StoreError.ROLE_ALREADY_EXIST, () -> auth.roleAdd("r"));
    refused(StoreError.USER_ALREADY_EXIST, () -> auth.userAdd("u", "x"));
    refused(StoreError.USER_EMPTY, () -> auth.userAdd("", "x"));
    refused(StoreError.ROLE_EMPTY, () -> auth.roleAdd(""));
    refused(StoreError.ROLE_NOT_FOUND, () -> auth.grantRole("u", "nope"));
    refused(StoreError.USER_NOT_FOUND, () -> auth.grantRole("nobody", "r"));
    refused(StoreError.ROLE_NOT_GRANTED, () -> auth.revokeRole("u", "other"));
    refused(StoreError.PERMISSION_NOT_GRANTED,
        () -> auth.revokePermission("r", ByteString.copyFromUtf8("k"), ByteString.EMPTY));
    assertThat(auth.revision()).isEqualTo(start + 3);
  }

  @Test
  void rootCannotLoseItsPowersWhileAuthIsOn() {
    enableWithRoot();
    refused(StoreError.INVALID_AUTH_MGMT, () -> auth.userDelete("root"));
    refused(StoreError.INVALID_AUTH_MGMT, () -> auth.revokeRole("root", AuthStore.ROOT));
    refused(StoreError.INVALID_AUTH_MGMT, () -> auth.roleDelete(AuthStore.ROOT));
    auth.disable();
    auth.revokeRole("root", AuthStore.ROOT);
    auth.userDelete("root");
  }

  @Test
  void aRoleDeletedIsTakenFromItsUsers() {
    auth.roleAdd("r");
    auth.userAdd("u", Passwords.hash("pw"));
    auth.grantRole("u", "r");
    auth.roleDelete("r");
    assertThat(auth.user("u").roles()).isEmpty();
  }

  @Test
  void grantingOnTheSameKeysChangesTheTypeAndPermissionsStaySortedByKey() {
    auth.roleAdd("r");
    auth.grantPermission("r", perm(Permission.Type.READ, "b"));
    auth.grantPermission("r", perm(Permission.Type.READ, "a"));
    auth.grantPermission("r", perm(Permission.Type.WRITE, "b"));
    assertThat(auth.role("r").permissions())
        .containsExactly(perm(Permission.Type.READ, "a"), perm(Permission.Type.WRITE, "b"));
  }

  @Test
  void keyChecksFollowEtcdsOrder() {
    enableWithRoot();
    auth.roleAdd("reader");
    auth.grantPermission("reader", perm(Permission.Type.READ, "k"));
    auth.userAdd("u", Passwords.hash("pw"));
    auth.grantRole("u", "reader");
    ByteString k = ByteString.copyFromUtf8("k");
    Caller u = new Caller("u", auth.revision());
    auth.checkKeys(u, Permission.Type.READ, k, ByteString.EMPTY);
    refused(StoreError.PERMISSION_DENIED,
        () -> auth.checkKeys(u, Permission.Type.WRITE, k, ByteString.EMPTY));
    refused(StoreError.USER_EMPTY,
        () -> auth.checkKeys(Caller.ANONYMOUS, Permission.Type.READ, k, ByteString.EMPTY));
    auth.checkKeys(new Caller("root", auth.revision()), Permission.Type.WRITE, k,
        ByteString.EMPTY);
    auth.checkKeys(Caller.INTERNAL, Permission.Type.WRITE, k, ByteString.EMPTY);
    auth.roleAdd("other");
    refused(StoreError.AUTH_OLD_REVISION,
        () -> auth.checkKeys(u, Permission.Type.READ, k, ByteString.EMPTY));
    refused(StoreError.PERMISSION_DENIED, () -> auth.checkAdmin(u));
    refused(StoreError.USER_EMPTY, () -> auth.checkAdmin(Caller.ANONYMOUS));
  }

  @Test
  void passwordsAreCheckedOnlyWhileAuthIsOn() {
    auth.userAdd("root", Passwords.hash("rootpw"));
    refused(StoreError.AUTH_NOT_ENABLED, () -> auth.checkPassword("root", "rootpw"));
    auth.grantRole("root", AuthStore.ROOT);
    auth.enable();
    assertThat(auth.checkPassword("root", "rootpw")).isEqualTo(auth.revision());
    refused(StoreError.AUTH_FAILED, () -> auth.checkPassword("root", "wrong"));
    refused(StoreError.AUTH_FAILED, () -> auth.checkPassword("nobody", "rootpw"));
  }

  @Test
  void tokensLiveWhileUsedAndDieWithTheirUserOrWithAuth() {
    enableWithRoot();
    auth.userAdd("u", Passwords.hash("pw"));
    auth.authenticate("u", "t1");
    assertThat(auth.callerOf("t1")).contains(new Caller("u", auth.revision()));
    clock.advance(Duration.ofSeconds(200));
    assertThat(auth.callerOf("t1")).as("used within its TTL: renewed").isPresent();
    clock.advance(Duration.ofSeconds(200));
    assertThat(auth.callerOf("t1")).isPresent();
    clock.advance(Duration.ofSeconds(301));
    assertThat(auth.callerOf("t1")).as("unused for longer than the TTL").isEmpty();
    auth.authenticate("u", "t2");
    auth.changePassword("u", Passwords.hash("new"));
    assertThat(auth.callerOf("t2")).isEmpty();
    auth.authenticate("root", "t3");
    auth.disable();
    assertThat(auth.callerOf("t3")).isEmpty();
    refused(StoreError.AUTH_NOT_ENABLED, () -> auth.authenticate("root", "t4"));
  }

  @Test
  void aSnapshotRestoresEverythingButTokens() {
    enableWithRoot();
    auth.roleAdd("r");
    auth.grantPermission("r", perm(Permission.Type.READWRITE, "k"));
    auth.authenticate("root", "t");
    var copy = new AuthStore(new Tokens(clock, Duration.ofSeconds(300)));
    copy.restore(auth.capture());
    assertThat(copy.capture()).isEqualTo(auth.capture());
    assertThat(copy.callerOf("t")).isEmpty();
  }

  @Test
  void passwordHashesVerifyOnlyTheirPassword() {
    String hash = Passwords.hash("secret");
    assertThat(hash).doesNotContain("secret").startsWith("pbkdf2-sha256$");
    assertThat(Passwords.matches("secret", hash)).isTrue();
    assertThat(Passwords.matches("Secret", hash)).isFalse();
    assertThat(Passwords.hash("secret")).as("salted").isNotEqualTo(hash);
    assertThat(Passwords.matches("secret", "not a hash")).isFalse();
    assertThat(Passwords.matches("secret", "pbkdf2-sha256$x$y$z")).isFalse();
  }
}
