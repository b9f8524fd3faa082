package io.keel.cli.contract;

import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.keys;
import static io.keel.cli.contract.Wire.text;
import static io.keel.cli.contract.Wire.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.AuthDisableRequest;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.keel.testkit.StoreProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * etcd v3 authentication (users, roles, permissions, simple tokens, enforcement), written once
 * and bound to an implementation by a subclass that starts the server ({@link #startStore}).
 *
 * <p>Not part of {@link StoreContract}: enabling auth changes the whole server. One server per
 * class; the root user ({@code root}/{@value #ROOT_PASSWORD}, with the root role) is created
 * before the first test. Every test that enables auth has it disabled again after it, as root,
 * and uses its own user and role names and its own key prefix, so the order does not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AuthContract {

    static final String ROOT = "root";
    static final String ROOT_PASSWORD = "rootpw";

    static final String USER_NAME_EMPTY = "etcdserver: user name is empty";
    static final String ROLE_NAME_EMPTY = "etcdserver: role name is empty";
    static final String USER_EXISTS = "etcdserver: user name already exists";
    static final String ROLE_EXISTS = "etcdserver: role name already exists";
    static final String USER_NOT_FOUND = "etcdserver: user name not found";
    static final String ROLE_NOT_FOUND = "etcdserver: role name not found";
    static final String ROLE_NOT_GRANTED = "etcdserver: role is not granted to the user";
    static final String PERMISSION_NOT_GRANTED = "etcdserver: permission is not granted to the role";
    static final String ROOT_USER_MISSING = "etcdserver: root user does not exist";
    static final String ROOT_ROLE_MISSING = "etcdserver: root user does not have root role";
    static final String AUTH_FAILED = "etcdserver: authentication failed, invalid user ID or password";
    static final String AUTH_NOT_ENABLED = "etcdserver: authentication is not enabled";
    static final String INVALID_TOKEN = "etcdserver: invalid auth token";
    static final String INVALID_AUTH_MANAGEMENT = "etcdserver: invalid auth management";
    static final String PERMISSION_DENIED = "etcdserver: permission denied";
    /** The maintenance service returns the auth store's error untranslated (code UNKNOWN). */
    static final String MAINTENANCE_PERMISSION_DENIED = "auth: permission denied";
    /** How a watch create refused for permissions is cancelled: the gRPC error's Go string. */
    static final String WATCH_PERMISSION_DENIED = "rpc error: code = PermissionDenied desc = etcdserver: permission denied";

    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

    private ContractServer server;
    private StoreProcess store;
    private Client anonymous;
    private ManagedChannel channel;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Client root;
    private String prefix;

    /** Starts the server under test with its files in {@code workDir}. */
    protected abstract StoreProcess startStore(Path workDir);

    @BeforeAll
    void startServer() {
        server = ContractServer.start(getClass(), this::startStore);
        store = server.store();
        anonymous = server.client();
        channel = server.channel();
        Auth auth = anonymous.getAuthClient();
        await(auth.userAdd(bytes(ROOT), bytes(ROOT_PASSWORD)));
        await(auth.roleAdd(bytes(ROOT)));
        await(auth.userGrantRole(bytes(ROOT), bytes(ROOT)));
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void choosePrefix(TestInfo test) {
        prefix = "/auth/" + test.getTestMethod().orElseThrow().getName() + "/";
    }

    /** Disables auth as root (a fresh token) if the test left it enabled, and closes its clients. */
    @AfterEach
    void disableAuthAndCloseClients() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        opened.clear();
        root = null;
        String token;
        try {
            token = AuthGrpc.newBlockingStub(channel).withDeadlineAfter(Wire.REQUEST_TIMEOUT)
                    .authenticate(AuthenticateRequest.newBuilder().setName(ROOT).setPassword(ROOT_PASSWORD).build())
                    .getToken();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION
                    && AUTH_NOT_ENABLED.equals(e.getStatus().getDescription())) {
                return;
            }
            throw e;
        }
        withToken(AuthGrpc.newBlockingStub(channel), token).authDisable(AuthDisableRequest.getDefaultInstance());
    }

    @Test
    void theJsonGatewayTakesTheTokenInTheAuthorizationHeader() throws IOException {
        addUser("gw-user", "gw-pw", "gw-role", Permission.Type.READWRITE, key("gw"), ByteSequence.EMPTY);
        enableAuth();
        var http = new GatewayHttp(store.endpoint());
        GatewayHttp.Answer login = http.post("/v3/auth/authenticate", "{\"name\":\"gw-user\",\"password\":\"gw-pw\"}");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(login.body()).get("token").asText();
        String gwKey = java.util.Base64.getEncoder().encodeToString((prefix + "gw").getBytes(StandardCharsets.UTF_8));
        String otherKey = java.util.Base64.getEncoder().encodeToString((prefix + "other").getBytes(StandardCharsets.UTF_8));

        GatewayHttp.Answer put = http.post("/v3/kv/put", "{\"key\":\"" + gwKey + "\",\"value\":\"djE=\"}", token);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        GatewayHttp.Answer read = http.post("/v3/kv/range", "{\"key\":\"" + gwKey + "\"}", token);
        assertThat(read.body()).contains("\"value\":\"djE=\"");
        GatewayHttp.Answer denied = http.post("/v3/kv/put", "{\"key\":\"" + otherKey + "\",\"value\":\"djE=\"}", token);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).contains(PERMISSION_DENIED);
        GatewayHttp.Answer anonymousRead = http.post("/v3/kv/range", "{\"key\":\"" + gwKey + "\"}");
        assertThat(anonymousRead.status()).isEqualTo(400);
        assertThat(anonymousRead.body()).contains(USER_NAME_EMPTY);
        GatewayHttp.Answer badToken = http.post("/v3/kv/range", "{\"key\":\"" + gwKey + "\"}", "not-a-token");
        assertThat(badToken.status()).isEqualTo(401);
        assertThat(badToken.body()).contains(INVALID_TOKEN);
    }

    @Test
    void theLockServiceActsWithItsCallersPermissions() throws IOException {
        addUser("lock-user", "lock-pw", "lock-role", Permission.Type.READWRITE, key("locks/"), prefixEnd(prefix + "locks/"));
        enableAuth();
        var http = new GatewayHttp(store.endpoint());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String token = json.readTree(http.post("/v3/auth/authenticate",
                "{\"name\":\"lock-user\",\"password\":\"lock-pw\"}").body()).get("token").asText();
        String lease = json.readTree(http.post("/v3/lease/grant", "{\"TTL\":30}", token).body()).get("ID").asText();
        var b64 = java.util.Base64.getEncoder();
        String inside = b64.encodeToString((prefix + "locks/a").getBytes(StandardCharsets.UTF_8));
        String outside = b64.encodeToString((prefix + "elsewhere").getBytes(StandardCharsets.UTF_8));

        GatewayHttp.Answer held = http.post("/v3/lock/lock", "{\"name\":\"" + inside + "\",\"lease\":\"" + lease + "\"}", token);
        assertThat(held.status()).as(held.body()).isEqualTo(200);
        assertThat(held.body()).contains("\"key\":");
        GatewayHttp.Answer denied = http.post("/v3/lock/lock", "{\"name\":\"" + outside + "\",\"lease\":\"" + lease + "\"}", token);
        assertThat(denied.body()).contains("\"code\":2").contains(PERMISSION_DENIED);
        GatewayHttp.Answer anonymousLock = http.post("/v3/lock/lock", "{\"name\":\"" + inside + "\",\"lease\":\"" + lease + "\"}");
        assertThat(anonymousLock.body()).contains("\"code\":2").contains(USER_NAME_EMPTY);
    }

    // ---- fixtures ---------------------------------------------------------------------------

    private ByteSequence key(String name) {
        return bytes(prefix + name);
    }

    /** The end of the range of keys starting with {@code start}: its last byte plus one. */
    private static ByteSequence prefixEnd(String start) {
        byte[] b = start.getBytes(StandardCharsets.UTF_8);
        byte[] end = Arrays.copyOf(b, b.length);
        end[end.length - 1]++;
        return ByteSequence.from(end);
    }

    private static final ByteSequence FROM_KEY = ByteSequence.from(new byte[] {0});

    private void enableAuth() {
        await(anonymous.getAuthClient().authEnable());
    }

    /** A jetcd client that authenticates as {@code user} on its first request. */
    private Client clientAs(String user, String password) {
        Client client = Client.builder().endpoints(store.endpoint())
                .user(bytes(user)).password(bytes(password)).build();
        opened.add(client);
        return client;
    }

    /** This test's client as root; only usable while auth is enabled. */
    private Client root() {
        if (root == null) {
            root = clientAs(ROOT, ROOT_PASSWORD);
        }
        return root;
    }

    private Auth rootAuth() {
        return root().getAuthClient();
    }

    /** Adds a user with one role holding {@code permissions}: pairs of (type, key, range end). */
    private void addUser(String user, String password, String role, Object... permissions) {
        Auth auth = anonymous.getAuthClient();
        await(auth.userAdd(bytes(user), bytes(password)));
        await(auth.roleAdd(bytes(role)));
        for (int i = 0; i < permissions.length; i += 3) {
            await(auth.roleGrantPermission(bytes(role), (ByteSequence) permissions[i + 1],
                    (ByteSequence) permissions[i + 2], (Permission.Type) permissions[i]));
        }
        await(auth.userGrantRole(bytes(user), bytes(role)));
    }

    private String authenticate(String user, String password) {
        return AuthGrpc.newBlockingStub(channel).withDeadlineAfter(Wire.REQUEST_TIMEOUT)
                .authenticate(AuthenticateRequest.newBuilder().setName(user).setPassword(password).build())
                .getToken();
    }

    private static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(TOKEN, token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(Wire.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private RangeResponse rangeWithToken(String token, ByteSequence key) {
        return withToken(KVGrpc.newBlockingStub(channel), token)
                .range(RangeRequest.newBuilder().setKey(ByteString.copyFrom(key.getBytes())).build());
    }

    private List<String> userRoles(Auth auth, String user) {
        return await(auth.userGet(bytes(user))).getRoles();
    }

    private static String describe(Permission p) {
        return p.getPermType() + " " + text(p.getKey()) + " " + Arrays.toString(p.getRangeEnd().getBytes());
    }

    private static String describe(Permission.Type type, ByteSequence key, ByteSequence rangeEnd) {
        return describe(new Permission(type, key, rangeEnd));
    }

    private List<String> permissions(Auth auth, String role) {
        return await(auth.roleGet(bytes(role))).getPermissions().stream().map(AuthContract::describe).toList();
    }

    private List<String> get(KV kv, ByteSequence key, GetOption option) {
        return keys(await(kv.get(key, option)).getKvs());
    }

    // ---- errors -----------------------------------------------------------------------------

    /**
     * The status the server answered with: the innermost gRPC status in {@code t}'s causes.
     * jetcd reports an Auth or Cluster error as an {@link EtcdException} carrying the code, and
     * a failed re-authentication as UNAUTHENTICATED caused by the server's own answer.
     */
    static Optional<String> serverStatus(Throwable t) {
        String found = null;
        for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof EtcdException e) {
                found = e.getErrorCode() + " " + e.getMessage();
            } else if (cause instanceof StatusRuntimeException sre) {
                found = sre.getStatus().getCode() + " " + sre.getStatus().getDescription();
            } else if (cause instanceof StatusException se) {
                found = se.getStatus().getCode() + " " + se.getStatus().getDescription();
            }
        }
        return Optional.ofNullable(found);
    }

    static void assertRefused(Throwable thrown, Status.Code code, String description) {
        assertThat(thrown).as("expected %s \"%s\"", code, description).isNotNull();
        String status = serverStatus(thrown).orElseThrow(() -> new AssertionError(
                "expected " + code + " \"" + description + "\" but got no status in " + Wire.describe(thrown), thrown));
        assertThat(status).as("status of %s", Wire.describe(thrown)).isEqualTo(code + " " + description);
    }

    static void assertRefused(CompletableFuture<?> request, Status.Code code, String description) {
        assertRefused(Wire.failure(request), code, description);
    }

    static void assertRefused(ThrowingCallable call, Status.Code code, String description) {
        assertRefused(catchThrowable(call), code, description);
    }

    static void assertDenied(CompletableFuture<?> request) {
        assertRefused(request, Status.Code.PERMISSION_DENIED, PERMISSION_DENIED);
    }

    // ---- users and roles ----------------------------------------------------------------------

    @Test
    void usersAreAddedListedAndDeleted() {
        enableAuth();
        Auth auth = rootAuth();
        await(auth.userAdd(bytes("ulist-b"), bytes("pw-b")));
        await(auth.userAdd(bytes("ulist-a"), bytes("pw-a")));

        List<String> users = await(auth.userList()).getUsers();
        assertThat(users).contains(ROOT, "ulist-a", "ulist-b").isSorted();
        assertThat(userRoles(auth, "ulist-a")).isEmpty();
        assertThat(userRoles(auth, ROOT)).containsExactly(ROOT);

        await(auth.userDelete(bytes("ulist-a")));
        assertRefused(auth.userGet(bytes("ulist-a")), Status.Code.FAILED_PRECONDITION, USER_NOT_FOUND);
        assertThat(await(auth.userList()).getUsers()).doesNotContain("ulist-a").contains("ulist-b");
        // the name is free again
        await(auth.userAdd(bytes("ulist-a"), bytes("other")));
        assertThat(await(auth.userList()).getUsers()).contains("ulist-a");
    }

    @Test
    void rolesAreGrantedToUsersAndRevoked() {
        enableAuth();
        Auth auth = rootAuth();
        await(auth.userAdd(bytes("ugrant"), bytes("pw")));
        await(auth.roleAdd(bytes("ugrant-z")));
        await(auth.roleAdd(bytes("ugrant-a")));
        await(auth.userGrantRole(bytes("ugrant"), bytes("ugrant-z")));
        await(auth.userGrantRole(bytes("ugrant"), bytes("ugrant-a")));
        assertThat(userRoles(auth, "ugrant")).containsExactly("ugrant-a", "ugrant-z");

        // granting a role the user already has is accepted and changes nothing
        await(auth.userGrantRole(bytes("ugrant"), bytes("ugrant-a")));
        assertThat(userRoles(auth, "ugrant")).containsExactly("ugrant-a", "ugrant-z");

        await(auth.userRevokeRole(bytes("ugrant"), bytes("ugrant-z")));
        assertThat(userRoles(auth, "ugrant")).containsExactly("ugrant-a");
        assertRefused(auth.userRevokeRole(bytes("ugrant"), bytes("ugrant-z")),
                Status.Code.FAILED_PRECONDITION, ROLE_NOT_GRANTED);
        // the role itself stays
        assertThat(await(auth.roleList()).getRoles()).contains("ugrant-a", "ugrant-z", ROOT).isSorted();
    }

    @Test
    void rolePermissionsAreListedByKeyAndReplacedWhenGrantedAgain() {
        enableAuth();
        Auth auth = rootAuth();
        String role = "rperms";
        await(auth.roleAdd(bytes(role)));
        ByteSequence single = key("single");
        ByteSequence from = key("z");
        ByteSequence rangeStart = key("a");
        ByteSequence rangeEnd = key("c");
        await(auth.roleGrantPermission(bytes(role), single, ByteSequence.EMPTY, Permission.Type.READ));
        await(auth.roleGrantPermission(bytes(role), from, FROM_KEY, Permission.Type.READ));
        await(auth.roleGrantPermission(bytes(role), rangeStart, rangeEnd, Permission.Type.WRITE));
        await(auth.roleGrantPermission(bytes(role), bytes(prefix), prefixEnd(prefix), Permission.Type.READWRITE));

        assertThat(permissions(auth, role)).containsExactly(
                describe(Permission.Type.READWRITE, bytes(prefix), prefixEnd(prefix)),
                describe(Permission.Type.WRITE, rangeStart, rangeEnd),
                describe(Permission.Type.READ, single, ByteSequence.EMPTY),
                describe(Permission.Type.READ, from, FROM_KEY));

        // the same key and range end again: the type is replaced, not merged
        await(auth.roleGrantPermission(bytes(role), single, ByteSequence.EMPTY, Permission.Type.WRITE));
        assertThat(permissions(auth, role)).hasSize(4)
                .contains(describe(Permission.Type.WRITE, single, ByteSequence.EMPTY))
                .doesNotContain(describe(Permission.Type.READ, single, ByteSequence.EMPTY));

        // revoking needs the exact key and range end
        assertRefused(auth.roleRevokePermission(bytes(role), rangeStart, ByteSequence.EMPTY),
                Status.Code.FAILED_PRECONDITION, PERMISSION_NOT_GRANTED);
        assertRefused(auth.roleRevokePermission(bytes(role), rangeStart, key("b")),
                Status.Code.FAILED_PRECONDITION, PERMISSION_NOT_GRANTED);
        await(auth.roleRevokePermission(bytes(role), rangeStart, rangeEnd));
        await(auth.roleRevokePermission(bytes(role), from, FROM_KEY));
        assertThat(permissions(auth, role)).containsExactly(
                describe(Permission.Type.READWRITE, bytes(prefix), prefixEnd(prefix)),
                describe(Permission.Type.WRITE, single, ByteSequence.EMPTY));
        assertRefused(auth.roleRevokePermission(bytes(role), from, FROM_KEY),
                Status.Code.FAILED_PRECONDITION, PERMISSION_NOT_GRANTED);

        assertThat(await(auth.roleList()).getRoles()).contains(role, ROOT).isSorted();
        await(auth.roleDelete(bytes(role)));
        assertRefused(auth.roleGet(bytes(role)), Status.Code.FAILED_PRECONDITION, ROLE_NOT_FOUND);
        assertThat(await(auth.roleList()).getRoles()).doesNotContain(role);
    }

    @Test
    void managementErrorsCarryEtcdsCodesAndMessages() {
        enableAuth();
        Auth auth = rootAuth();
        await(auth.userAdd(bytes("uerr"), bytes("pw")));
        await(auth.roleAdd(bytes("rerr")));
        Status.Code precondition = Status.Code.FAILED_PRECONDITION;

        assertRefused(auth.userAdd(bytes("uerr"), bytes("x")), precondition, USER_EXISTS);
        assertRefused(auth.userAdd(bytes(ROOT), bytes("x")), precondition, USER_EXISTS);
        assertRefused(auth.roleAdd(bytes("rerr")), precondition, ROLE_EXISTS);
        assertRefused(auth.userAdd(bytes(""), bytes("x")), Status.Code.INVALID_ARGUMENT, USER_NAME_EMPTY);
        assertRefused(auth.roleAdd(bytes("")), Status.Code.INVALID_ARGUMENT, ROLE_NAME_EMPTY);

        ByteSequence nobody = bytes("uerr-nobody");
        assertRefused(auth.userGet(nobody), precondition, USER_NOT_FOUND);
        assertRefused(auth.userDelete(nobody), precondition, USER_NOT_FOUND);
        assertRefused(auth.userChangePassword(nobody, bytes("x")), precondition, USER_NOT_FOUND);
        assertRefused(auth.userGrantRole(nobody, bytes("rerr")), precondition, USER_NOT_FOUND);
        assertRefused(auth.userRevokeRole(nobody, bytes("rerr")), precondition, USER_NOT_FOUND);

        ByteSequence noRole = bytes("rerr-none");
        assertRefused(auth.roleGet(noRole), precondition, ROLE_NOT_FOUND);
        assertRefused(auth.roleDelete(noRole), precondition, ROLE_NOT_FOUND);
        assertRefused(auth.userGrantRole(bytes("uerr"), noRole), precondition, ROLE_NOT_FOUND);
        assertRefused(auth.roleGrantPermission(noRole, key("k"), ByteSequence.EMPTY, Permission.Type.READ),
                precondition, ROLE_NOT_FOUND);
        assertRefused(auth.roleRevokePermission(noRole, key("k"), ByteSequence.EMPTY), precondition, ROLE_NOT_FOUND);

        assertRefused(auth.userRevokeRole(bytes("uerr"), bytes("rerr")), precondition, ROLE_NOT_GRANTED);
        assertRefused(auth.roleRevokePermission(bytes("rerr"), key("k"), ByteSequence.EMPTY),
                precondition, PERMISSION_NOT_GRANTED);
    }

    @Test
    void authEnableRequiresARootUserWithTheRootRole() {
        Auth auth = anonymous.getAuthClient();
        try {
            await(auth.userDelete(bytes(ROOT)));
            assertRefused(auth.authEnable(), Status.Code.FAILED_PRECONDITION, ROOT_USER_MISSING);
            await(auth.userAdd(bytes(ROOT), bytes(ROOT_PASSWORD)));
            assertRefused(auth.authEnable(), Status.Code.FAILED_PRECONDITION, ROOT_ROLE_MISSING);
            // still disabled: requests without credentials go through
            await(anonymous.getKVClient().put(key("k"), bytes("v")));
            await(auth.userGrantRole(bytes(ROOT), bytes(ROOT)));
            await(auth.authEnable());
            assertRefused(anonymous.getKVClient().get(key("k")), Status.Code.INVALID_ARGUMENT, USER_NAME_EMPTY);
            // enabling again is accepted
            await(rootAuth().authEnable());
            assertThat(values(await(root().getKVClient().get(key("k"))).getKvs())).containsExactly("v");
        } finally {
            restoreRootUser();
        }
    }

    /** Puts back root/rootpw with the root role if a failed test left it missing (auth disabled). */
    private void restoreRootUser() {
        Auth auth = anonymous.getAuthClient();
        List<String> users;
        try {
            users = auth.userList().get(Wire.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getUsers();
        } catch (Exception authEnabledSoRootIsThere) {
            return;
        }
        if (!users.contains(ROOT)) {
            await(auth.userAdd(bytes(ROOT), bytes(ROOT_PASSWORD)));
        }
        if (!userRoles(auth, ROOT).contains(ROOT)) {
            await(auth.userGrantRole(bytes(ROOT), bytes(ROOT)));
        }
    }

    @Test
    void rootCannotBeRemovedWhileAuthIsEnabled() {
        enableAuth();
        Auth auth = rootAuth();
        assertRefused(auth.userDelete(bytes(ROOT)), Status.Code.INVALID_ARGUMENT, INVALID_AUTH_MANAGEMENT);
        assertRefused(auth.userRevokeRole(bytes(ROOT), bytes(ROOT)), Status.Code.INVALID_ARGUMENT,
                INVALID_AUTH_MANAGEMENT);
        assertRefused(auth.roleDelete(bytes(ROOT)), Status.Code.INVALID_ARGUMENT, INVALID_AUTH_MANAGEMENT);
        assertThat(userRoles(auth, ROOT)).containsExactly(ROOT);
        assertThat(await(auth.roleList()).getRoles()).contains(ROOT);
    }

    // ---- authentication -----------------------------------------------------------------------

    @Test
    void authenticateChecksTheNameAndPassword() {
        addUser("uauth", "secret", "rauth", Permission.Type.READ, key("k"), ByteSequence.EMPTY);
        await(anonymous.getKVClient().put(key("k"), bytes("v")));
        enableAuth();

        String token = authenticate("uauth", "secret");
        // etcd's "simple" token: 16 random letters, a dot, a raft index
        assertThat(token).matches("[A-Za-z]{16}\\.\\d+");
        assertThat(rangeWithToken(token, key("k")).getKvs(0).getValue().toStringUtf8()).isEqualTo("v");

        assertRefused(() -> authenticate("uauth", "wrong"), Status.Code.INVALID_ARGUMENT, AUTH_FAILED);
        assertRefused(() -> authenticate("uauth-nobody", "secret"), Status.Code.INVALID_ARGUMENT, AUTH_FAILED);
        assertRefused(() -> authenticate("", ""), Status.Code.INVALID_ARGUMENT, AUTH_FAILED);
        // jetcd authenticates before the first request and reports the server's answer as the cause
        assertRefused(clientAs("uauth", "wrong").getKVClient().get(key("k")), Status.Code.INVALID_ARGUMENT,
                AUTH_FAILED);
        assertThat(values(await(clientAs("uauth", "secret").getKVClient().get(key("k"))).getKvs()))
                .containsExactly("v");
    }

    @Test
    void requestsWithoutCredentialsAreRefused() {
        await(anonymous.getKVClient().put(key("k"), bytes("v")));
        enableAuth();
        KV kv = anonymous.getKVClient();
        Status.Code invalid = Status.Code.INVALID_ARGUMENT;
        assertRefused(kv.get(key("k")), invalid, USER_NAME_EMPTY);
        assertRefused(kv.put(key("k"), bytes("w")), invalid, USER_NAME_EMPTY);
        assertRefused(kv.delete(key("k")), invalid, USER_NAME_EMPTY);
        assertRefused(kv.txn().Then(Op.get(key("k"), GetOption.DEFAULT)).commit(), invalid, USER_NAME_EMPTY);
        assertRefused(anonymous.getAuthClient().userList(), invalid, USER_NAME_EMPTY);
        assertRefused(anonymous.getAuthClient().authDisable(), invalid, USER_NAME_EMPTY);
        assertRefused(anonymous.getClusterClient().addMember(List.of(URI.create("http://127.0.0.1:1"))),
                invalid, USER_NAME_EMPTY);
        // etcd 3.4 checks neither status, member list nor lease grant/revoke of a lease without keys
        assertThat(await(anonymous.getMaintenanceClient().statusMember(store.endpoint())).getDbSize()).isPositive();
        assertThat(await(anonymous.getClusterClient().listMember()).getMembers()).hasSize(1);
        long lease = await(anonymous.getLeaseClient().grant(60)).getID();
        await(anonymous.getLeaseClient().revoke(lease));

        assertThat(values(await(root().getKVClient().get(key("k"))).getKvs())).containsExactly("v");
    }

    @Test
    void anUnknownTokenIsRefused() {
        enableAuth();
        assertRefused(() -> rangeWithToken("notAToken.1", key("k")), Status.Code.UNAUTHENTICATED, INVALID_TOKEN);
        assertRefused(() -> rangeWithToken("", key("k")), Status.Code.UNAUTHENTICATED, INVALID_TOKEN);
        String token = authenticate(ROOT, ROOT_PASSWORD);
        assertThat(rangeWithToken(token, key("k")).getKvsCount()).isZero();
    }

    @Test
    void changingAPasswordReplacesTheOldOne() {
        addUser("upass", "old", "rpass", Permission.Type.READWRITE, key("k"), ByteSequence.EMPTY);
        await(anonymous.getKVClient().put(key("k"), bytes("v")));
        enableAuth();
        String oldToken = authenticate("upass", "old");
        Client connected = clientAs("upass", "old");
        assertThat(values(await(connected.getKVClient().get(key("k"))).getKvs())).containsExactly("v");
        // etcd 3.4 lets only root change passwords, a user's own included
        assertDenied(connected.getAuthClient().userChangePassword(bytes("upass"), bytes("mine")));

        await(rootAuth().userChangePassword(bytes("upass"), bytes("new")));
        assertRefused(() -> authenticate("upass", "old"), Status.Code.INVALID_ARGUMENT, AUTH_FAILED);
        // the user's tokens are dropped with the old password
        assertRefused(() -> rangeWithToken(oldToken, key("k")), Status.Code.UNAUTHENTICATED, INVALID_TOKEN);
        // jetcd re-authenticates with the old password, which fails
        assertRefused(connected.getKVClient().get(key("k")), Status.Code.INVALID_ARGUMENT, AUTH_FAILED);

        assertThat(rangeWithToken(authenticate("upass", "new"), key("k")).getKvs(0).getValue().toStringUtf8())
                .isEqualTo("v");
        assertThat(values(await(clientAs("upass", "new").getKVClient().get(key("k"))).getKvs()))
                .containsExactly("v");
    }

    @Test
    void aDeletedUsersConnectedClientIsRefused() {
        addUser("udel", "pw", "rdel", Permission.Type.READWRITE, bytes(prefix), prefixEnd(prefix));
        enableAuth();
        Client connected = clientAs("udel", "pw");
        await(connected.getKVClient().put(key("k"), bytes("v")));
        String token = authenticate("udel", "pw");

        await(rootAuth().userDelete(bytes("udel")));
        assertRefused(() -> rangeWithToken(token, key("k")), Status.Code.UNAUTHENTICATED, INVALID_TOKEN);
        // jetcd gets "invalid auth token", authenticates again and reports why that failed
        assertRefused(connected.getKVClient().get(key("k")), Status.Code.INVALID_ARGUMENT, AUTH_FAILED);
        assertRefused(() -> authenticate("udel", "pw"), Status.Code.INVALID_ARGUMENT, AUTH_FAILED);
        // the role is not deleted with the user
        assertThat(permissions(rootAuth(), "rdel")).hasSize(1);
    }

    @Test
    void authDisableLetsRequestsWithoutCredentialsThroughAgain() {
        addUser("udis", "pw", "rdis", Permission.Type.READWRITE, bytes(prefix), prefixEnd(prefix));
        enableAuth();
        assertRefused(anonymous.getKVClient().get(key("k")), Status.Code.INVALID_ARGUMENT, USER_NAME_EMPTY);
        assertDenied(clientAs("udis", "pw").getAuthClient().authDisable());
        String rootToken = authenticate(ROOT, ROOT_PASSWORD);

        await(rootAuth().authDisable());
        await(anonymous.getKVClient().put(key("k"), bytes("v")));
        assertThat(values(await(anonymous.getKVClient().get(key("k"))).getKvs())).containsExactly("v");
        assertRefused(() -> authenticate(ROOT, ROOT_PASSWORD), Status.Code.FAILED_PRECONDITION, AUTH_NOT_ENABLED);
        // surprising but etcd 3.4: tokens die with auth, and a request that still carries one is refused
        assertRefused(() -> rangeWithToken(rootToken, key("k")), Status.Code.UNAUTHENTICATED, INVALID_TOKEN);
        // disabling twice is accepted; users and roles survive
        await(anonymous.getAuthClient().authDisable());
        assertThat(await(anonymous.getAuthClient().userList()).getUsers()).contains(ROOT, "udis");
        assertThat(userRoles(anonymous.getAuthClient(), "udis")).containsExactly("rdis");

        // enabled again, the old permissions hold
        enableAuth();
        assertThat(values(await(clientAs("udis", "pw").getKVClient().get(key("k"))).getKvs())).containsExactly("v");
    }

    // ---- enforcement --------------------------------------------------------------------------

    @Test
    void readPermissionAllowsOnlyReads() {
        addUser("uread", "pw", "rread", Permission.Type.READ, key("k"), ByteSequence.EMPTY);
        await(anonymous.getAuthClient().userAdd(bytes("uread-noroles"), bytes("pw")));
        await(anonymous.getKVClient().put(key("k"), bytes("v")));
        await(anonymous.getKVClient().put(key("other"), bytes("o")));
        enableAuth();
        KV kv = clientAs("uread", "pw").getKVClient();

        assertThat(values(await(kv.get(key("k"))).getKvs())).containsExactly("v");
        assertDenied(kv.put(key("k"), bytes("w")));
        assertDenied(kv.delete(key("k")));
        assertDenied(kv.get(key("other")));
        assertDenied(clientAs("uread-noroles", "pw").getKVClient().get(key("k")));
        assertThat(values(await(root().getKVClient().get(key("k"))).getKvs())).containsExactly("v");
    }

    @Test
    void writePermissionAllowsPutAndDeleteButNoReads() {
        addUser("uwrite", "pw", "rwrite", Permission.Type.WRITE, key("k"), ByteSequence.EMPTY);
        enableAuth();
        KV kv = clientAs("uwrite", "pw").getKVClient();

        await(kv.put(key("k"), bytes("v1")));
        assertDenied(kv.get(key("k")));
        // prev_kv reads the old value, so it needs read permission too
        assertDenied(kv.put(key("k"), bytes("v2"), PutOption.builder().withPrevKV().build()));
        assertDenied(kv.delete(key("k"), DeleteOption.builder().withPrevKV(true).build()));
        assertThat(values(await(root().getKVClient().get(key("k"))).getKvs())).containsExactly("v1");
        assertThat(await(kv.delete(key("k"))).getDeleted()).isEqualTo(1);
        assertThat(await(root().getKVClient().get(key("k"))).getKvs()).isEmpty();
    }

    @Test
    void permissionsCoverExactlyTheirRange() {
        String dir = prefix + "dir/";
        addUser("urange", "pw", "rrange",
                Permission.Type.READWRITE, bytes(dir), prefixEnd(dir),
                Permission.Type.READ, key("z"), FROM_KEY,
                Permission.Type.WRITE, key("a"), key("c"));
        KV admin = anonymous.getKVClient();
        for (String name : List.of("dir/1", "dir/2", "dir", "y", "z", "zz")) {
            await(admin.put(key(name), bytes(name)));
        }
        enableAuth();
        KV kv = clientAs("urange", "pw").getKVClient();

        // prefix
        assertThat(get(kv, bytes(dir), GetOption.builder().isPrefix(true).build()))
                .containsExactly(dir + "1", dir + "2");
        assertThat(get(kv, key("dir/1"), GetOption.builder().withRange(key("dir/2")).build()))
                .containsExactly(dir + "1");
        assertDenied(kv.get(key("dir/"), GetOption.builder().withRange(key("e")).build()));
        assertDenied(kv.get(key("dir")));
        await(kv.put(key("dir/3"), bytes("3")));
        // from-key ("\0" range end): everything from its key on
        assertThat(get(kv, key("z"), GetOption.builder().withRange(FROM_KEY).build()))
                .startsWith(prefix + "z", prefix + "zz");
        assertThat(values(await(kv.get(key("zz"))).getKvs())).containsExactly("zz");
        assertDenied(kv.get(key("y"), GetOption.builder().withRange(FROM_KEY).build()));
        assertDenied(kv.put(key("zz"), bytes("w")));
        // [a, c): a write-only range
        await(kv.put(key("a"), bytes("a")));
        await(kv.put(key("bzz"), bytes("b")));
        assertDenied(kv.put(key("c"), bytes("c")));
        assertThat(await(kv.delete(key("a"), DeleteOption.builder().withRange(key("c")).build())).getDeleted())
                .isEqualTo(2);
        assertDenied(kv.delete(key("a"), DeleteOption.builder().withRange(key("d")).build()));
    }

    @Test
    void txnIsCheckedAgainstEveryCompareAndBothBranches() {
        String rw = prefix + "rw/";
        addUser("utxn", "pw", "rtxn",
                Permission.Type.READWRITE, bytes(rw), prefixEnd(rw),
                Permission.Type.WRITE, key("wo"), ByteSequence.EMPTY);
        await(anonymous.getKVClient().put(key("other"), bytes("o")));
        enableAuth();
        KV kv = clientAs("utxn", "pw").getKVClient();
        Cmp inside = new Cmp(key("rw/a"), Cmp.Op.EQUAL, CmpTarget.version(0));
        Op putInside = Op.put(key("rw/a"), bytes("1"), PutOption.DEFAULT);

        assertDenied(kv.txn().If(new Cmp(key("other"), Cmp.Op.EQUAL, CmpTarget.version(0))).Then(putInside).commit());
        // a compare reads its key: write permission is not enough
        assertDenied(kv.txn().If(new Cmp(key("wo"), Cmp.Op.EQUAL, CmpTarget.version(0))).Then(putInside).commit());
        assertDenied(kv.txn().If(inside).Then(Op.put(key("other"), bytes("x"), PutOption.DEFAULT)).commit());
        // the branch not taken is checked as well
        assertDenied(kv.txn().If(inside).Then(putInside).Else(Op.get(key("other"), GetOption.DEFAULT)).commit());
        assertDenied(kv.txn().Then(Op.put(key("wo"), bytes("w"), PutOption.DEFAULT),
                Op.get(key("wo"), GetOption.DEFAULT)).commit());
        assertThat(await(root().getKVClient().get(key("rw/a"))).getKvs()).isEmpty();

        TxnResponse ok = await(kv.txn().If(inside)
                .Then(putInside, Op.put(key("wo"), bytes("w"), PutOption.DEFAULT))
                .Else(Op.get(bytes(rw), GetOption.builder().isPrefix(true).build()))
                .commit());
        assertThat(ok.isSucceeded()).isTrue();
        assertThat(values(await(root().getKVClient().get(key("rw/a"))).getKvs())).containsExactly("1");
        assertThat(values(await(root().getKVClient().get(key("wo"))).getKvs())).containsExactly("w");
        assertThat(values(await(root().getKVClient().get(key("other"))).getKvs())).containsExactly("o");
    }

    @Test
    void aWatchOutsideThePermissionsIsCanceledAtCreation() throws InterruptedException {
        String mine = prefix + "mine/";
        addUser("uwatch", "pw", "rwatch", Permission.Type.READ, bytes(mine), prefixEnd(mine));
        enableAuth();
        String token = authenticate("uwatch", "pw");

        URI uri = URI.create(store.endpoint());
        Metadata headers = new Metadata();
        headers.put(TOKEN, token);
        ManagedChannel withToken = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).build();
        try (RawWatchStream stream = new RawWatchStream(withToken)) {
            stream.create(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix + "secret")).build());
            WatchResponse refused = stream.next();
            assertThat(refused.getCreated()).isTrue();
            assertThat(refused.getCanceled()).isTrue();
            assertThat(refused.getWatchId()).isEqualTo(-1);
            assertThat(refused.getCancelReason()).isEqualTo(WATCH_PERMISSION_DENIED);
            assertThat(refused.getEventsList()).isEmpty();
            // a range sticking out of the permission is refused too; the stream stays usable
            stream.create(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8(mine))
                    .setRangeEnd(ByteString.copyFromUtf8(prefix + "n")).build());
            assertThat(stream.next().getCancelReason()).isEqualTo(WATCH_PERMISSION_DENIED);
            long id = stream.createAndAwaitId(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8(mine))
                    .setRangeEnd(ByteString.copyFrom(prefixEnd(mine).getBytes())).build());
            assertThat(id).isNotNegative();
            await(root().getKVClient().put(key("mine/k"), bytes("v")));
            WatchResponse event = stream.next();
            assertThat(event.getWatchId()).isEqualTo(id);
            assertThat(event.getEvents(0).getKv().getKey().toStringUtf8()).isEqualTo(mine + "k");
        } finally {
            withToken.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }

        // jetcd reports the cancel reason to the listener as an error
        Watch watch = clientAs("uwatch", "pw").getWatchClient();
        WatchRecorder refused = new WatchRecorder();
        WatchRecorder allowed = new WatchRecorder();
        try (Watch.Watcher w1 = watch.watch(key("secret"), WatchOption.DEFAULT, refused);
                Watch.Watcher w2 = watch.watch(bytes(mine), WatchOption.builder().isPrefix(true)
                        .withCreateNotify(true).build(), allowed)) {
            Throwable error = refused.awaitError();
            assertThat(error).isInstanceOf(EtcdException.class).hasMessage(WATCH_PERMISSION_DENIED);
            allowed.awaitCreated();
            await(root().getKVClient().put(key("mine/j"), bytes("v")));
            List<WatchEvent> events = allowed.awaitEvents(1);
            assertThat(text(events.getFirst().getKeyValue().getKey())).isEqualTo(mine + "j");
            assertThat(refused.eventCount()).isZero();
        }
    }

    @Test
    void leaseRevokeNeedsWritePermissionOnEveryAttachedKey() {
        String mine = prefix + "mine/";
        addUser("ulease", "pw", "rlease",
                Permission.Type.READWRITE, bytes(mine), prefixEnd(mine),
                Permission.Type.READ, key("ro"), ByteSequence.EMPTY);
        enableAuth();
        Client user = clientAs("ulease", "pw");
        KV rootKv = root().getKVClient();

        long foreign = await(root().getLeaseClient().grant(600)).getID();
        await(rootKv.put(key("other"), bytes("o"), PutOption.builder().withLeaseId(foreign).build()));
        assertDenied(user.getLeaseClient().revoke(foreign));
        // attaching a key to that lease needs write permission on the keys it already has
        assertDenied(user.getKVClient().put(key("mine/x"), bytes("x"), PutOption.builder().withLeaseId(foreign).build()));

        long readOnly = await(root().getLeaseClient().grant(600)).getID();
        await(rootKv.put(key("ro"), bytes("r"), PutOption.builder().withLeaseId(readOnly).build()));
        assertDenied(user.getLeaseClient().revoke(readOnly));
        assertThat(await(rootKv.get(key("other"))).getKvs()).hasSize(1);
        assertThat(await(rootKv.get(key("ro"))).getKvs()).hasSize(1);

        // granting needs no permission; revoking a lease whose keys the user may write works
        long own = await(user.getLeaseClient().grant(600)).getID();
        await(user.getKVClient().put(key("mine/a"), bytes("a"), PutOption.builder().withLeaseId(own).build()));
        await(user.getLeaseClient().revoke(own));
        assertThat(await(rootKv.get(key("mine/a"))).getKvs()).isEmpty();

        await(root().getLeaseClient().revoke(foreign));
        await(root().getLeaseClient().revoke(readOnly));
        assertThat(await(rootKv.get(key("other"))).getKvs()).isEmpty();
    }

    @Test
    void permissionChangesReachConnectedClients() {
        addUser("uchange", "pw", "rchange");
        await(anonymous.getAuthClient().roleAdd(bytes("rchange-2")));
        await(anonymous.getKVClient().put(key("k"), bytes("v")));
        enableAuth();
        KV kv = clientAs("uchange", "pw").getKVClient();
        Auth auth = rootAuth();

        assertDenied(kv.get(key("k")));
        await(auth.roleGrantPermission(bytes("rchange"), key("k"), ByteSequence.EMPTY, Permission.Type.READ));
        assertThat(values(await(kv.get(key("k"))).getKvs())).containsExactly("v");
        await(auth.roleRevokePermission(bytes("rchange"), key("k"), ByteSequence.EMPTY));
        assertDenied(kv.get(key("k")));

        await(auth.roleGrantPermission(bytes("rchange-2"), key("k"), ByteSequence.EMPTY, Permission.Type.READ));
        await(auth.userGrantRole(bytes("uchange"), bytes("rchange-2")));
        assertThat(values(await(kv.get(key("k"))).getKvs())).containsExactly("v");
        // deleting a role takes it from its users
        await(auth.roleDelete(bytes("rchange-2")));
        assertThat(userRoles(auth, "uchange")).containsExactly("rchange");
        assertDenied(kv.get(key("k")));
    }

    @Test
    void usersMayReadOnlyThemselvesAndTheirOwnRoles() {
        addUser("uself", "pw", "rself", Permission.Type.READ, key("k"), ByteSequence.EMPTY);
        enableAuth();
        Auth auth = clientAs("uself", "pw").getAuthClient();

        assertThat(userRoles(auth, "uself")).containsExactly("rself");
        assertThat(permissions(auth, "rself"))
                .containsExactly(describe(Permission.Type.READ, key("k"), ByteSequence.EMPTY));
        assertDenied(auth.userGet(bytes(ROOT)));
        assertDenied(auth.roleGet(bytes(ROOT)));
        assertDenied(auth.userList());
        assertDenied(auth.roleList());
        assertDenied(auth.userAdd(bytes("uself-2"), bytes("pw")));
        assertDenied(auth.roleAdd(bytes("rself-2")));
        assertDenied(auth.roleGrantPermission(bytes("rself"), key("x"), ByteSequence.EMPTY, Permission.Type.WRITE));
        assertDenied(auth.userGrantRole(bytes("uself"), bytes(ROOT)));
        assertDenied(auth.authEnable());
        assertThat(await(rootAuth().userList()).getUsers()).doesNotContain("uself-2");
    }

    @Test
    void rootCanDoEverything() throws IOException {
        await(anonymous.getKVClient().put(bytes("/auth-root-anywhere"), bytes("v")));
        enableAuth();
        Client client = root();
        KV kv = client.getKVClient();
        await(kv.put(key("k"), bytes("v")));
        assertThat(values(await(kv.get(bytes("/auth-root-anywhere"))).getKvs())).containsExactly("v");
        assertThat(await(kv.get(FROM_KEY, GetOption.builder().withRange(FROM_KEY).withCountOnly(true).build()))
                .getCount()).isGreaterThanOrEqualTo(2);
        assertThat(await(kv.delete(bytes("/auth-root-anywhere"))).getDeleted()).isEqualTo(1);
        assertThat(await(client.getClusterClient().listMember()).getMembers()).hasSize(1);
        assertThat(await(client.getMaintenanceClient().statusMember(store.endpoint())).getDbSize()).isPositive();
        await(client.getMaintenanceClient().hashKV(store.endpoint(), 0));
        await(client.getMaintenanceClient().defragmentMember(store.endpoint()));
        assertThat(await(client.getMaintenanceClient().listAlarms()).getAlarms()).isEmpty();
        try (ByteArrayOutputStream snapshot = new ByteArrayOutputStream()) {
            await(client.getMaintenanceClient().snapshot(snapshot));
            assertThat(snapshot.size()).isPositive();
        }
        long lease = await(client.getLeaseClient().grant(60)).getID();
        await(kv.put(key("leased"), bytes("v"), PutOption.builder().withLeaseId(lease).build()));
        await(client.getLeaseClient().revoke(lease));
        assertThat(await(client.getAuthClient().userList()).getUsers()).contains(ROOT);
    }

    @Test
    void maintenanceAndMembershipForOtherUsers() throws IOException {
        addUser("umaint", "pw", "rmaint", Permission.Type.READWRITE, bytes(prefix), prefixEnd(prefix));
        enableAuth();
        Client client = clientAs("umaint", "pw");
        long revision = await(client.getKVClient().put(key("k"), bytes("v"))).getHeader().getRevision();

        // etcd 3.4 lets any user read status, members and alarms
        assertThat(await(client.getMaintenanceClient().statusMember(store.endpoint())).getDbSize()).isPositive();
        assertThat(await(client.getClusterClient().listMember()).getMembers()).hasSize(1);
        assertThat(await(client.getMaintenanceClient().listAlarms()).getAlarms()).isEmpty();
        // surprising but etcd 3.4: compaction is not checked at all
        await(client.getKVClient().compact(revision));

        // hash, defragment and snapshot are root's, refused with the auth store's own error (UNKNOWN)
        assertRefused(client.getMaintenanceClient().hashKV(store.endpoint(), 0), Status.Code.UNKNOWN,
                MAINTENANCE_PERMISSION_DENIED);
        assertRefused(client.getMaintenanceClient().defragmentMember(store.endpoint()), Status.Code.UNKNOWN,
                MAINTENANCE_PERMISSION_DENIED);
        try (ByteArrayOutputStream snapshot = new ByteArrayOutputStream()) {
            assertRefused(client.getMaintenanceClient().snapshot(snapshot), Status.Code.UNKNOWN,
                    MAINTENANCE_PERMISSION_DENIED);
        }
        assertDenied(client.getClusterClient().addMember(List.of(URI.create("http://127.0.0.1:1"))));
        assertDenied(client.getClusterClient().removeMember(12345L));
        assertDenied(client.getClusterClient().updateMember(12345L, List.of(URI.create("http://127.0.0.1:1"))));
        assertThat(await(root().getClusterClient().listMember()).getMembers()).hasSize(1);
    }
}
