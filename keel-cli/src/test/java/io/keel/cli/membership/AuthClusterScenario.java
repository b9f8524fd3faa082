package io.keel.cli.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.options.GetOption;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.keel.testkit.Await;
import io.keel.testkit.StoreClusterMember;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Authentication across a 3-member cluster: users, roles and the enabled flag set through one
 * member hold on every member; a token handed out by one member works on another; and all of it
 * survives every member being killed (kill -9) and restarted (the token too: it is learned
 * again from the replayed log). Written once, bound to the Keel
 * store and to real etcd.
 */
abstract class AuthClusterScenario extends ClusterScenario {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Metadata.Key<String> TOKEN =
      Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private Client client(StoreClusterMember member, String user, String password) {
    var builder = Client.builder().endpoints(member.endpoint());
    if (user != null) {
      builder.user(bytes(user)).password(bytes(password));
    }
    Client c = builder.build();
    opened.add(c);
    return c;
  }

  private ManagedChannel channel(StoreClusterMember member) {
    URI uri = URI.create(member.endpoint());
    ManagedChannel ch = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
        .usePlaintext().build();
    opened.add(() -> ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS));
    return ch;
  }

  private static String value(Client c, String key) throws Exception {
    var kvs = c.getKVClient().get(bytes(key)).get(10, TimeUnit.SECONDS).getKvs();
    return kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void usersRolesAndTokensHoldOnEveryMemberAndSurviveAFullRestart() throws Exception {
    cluster = startCluster(work);
    StoreClusterMember leader = cluster.awaitLeader(SETTLE);
    List<StoreClusterMember> followers =
        cluster.members().stream().filter(m -> m != leader).toList();
    StoreClusterMember a = followers.get(0);
    StoreClusterMember b = followers.get(1);

    var setup = client(a, null, null).getAuthClient();
    setup.userAdd(bytes("root"), bytes("rootpw")).get(10, TimeUnit.SECONDS);
    setup.roleAdd(bytes("root")).get(10, TimeUnit.SECONDS);
    setup.userGrantRole(bytes("root"), bytes("root")).get(10, TimeUnit.SECONDS);
    setup.roleAdd(bytes("app")).get(10, TimeUnit.SECONDS);
    setup.roleGrantPermission(bytes("app"), bytes("app/"), bytes("app0"),
        Permission.Type.READWRITE).get(10, TimeUnit.SECONDS);
    setup.userAdd(bytes("svc"), bytes("svcpw")).get(10, TimeUnit.SECONDS);
    setup.userGrantRole(bytes("svc"), bytes("app")).get(10, TimeUnit.SECONDS);
    setup.authEnable().get(10, TimeUnit.SECONDS);

    Client svcOnB = client(b, "svc", "svcpw");
    svcOnB.getKVClient().put(bytes("app/config"), bytes("v1")).get(10, TimeUnit.SECONDS);
    assertThat(value(client(leader, "svc", "svcpw"), "app/config")).isEqualTo("v1");
    Throwable outside = catchThrowable(() -> svcOnB.getKVClient()
        .put(bytes("other"), bytes("x")).get(10, TimeUnit.SECONDS));
    assertThat(outside).hasRootCauseMessage("PERMISSION_DENIED: etcdserver: permission denied");
    Throwable anonymous = catchThrowable(() -> client(leader, null, null).getKVClient()
        .get(bytes("app/config")).get(10, TimeUnit.SECONDS));
    assertThat(anonymous).hasRootCauseMessage("INVALID_ARGUMENT: etcdserver: user name is empty");

    String token = AuthGrpc.newBlockingStub(channel(a)).withDeadlineAfter(10, TimeUnit.SECONDS)
        .authenticate(AuthenticateRequest
        .newBuilder().setName("svc").setPassword("svcpw").build()).getToken();
    var onB = KVGrpc.newBlockingStub(channel(b)).withInterceptors(tokenHeader(token))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
    RangeRequest read = RangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8("app/config")).build();
    assertThat(onB.range(read).getKvs(0).getValue().toStringUtf8())
        .as("a token handed out by %s, used on %s", a.name(), b.name()).isEqualTo("v1");

    for (StoreClusterMember m : cluster.members()) {
      m.kill9();
    }
    for (StoreClusterMember m : cluster.members()) {
      m.launch();
    }
    for (StoreClusterMember m : cluster.members()) {
      m.awaitServing();
    }
    cluster.awaitLeader(SETTLE);
    Client svcAfter = client(a, "svc", "svcpw");
    Await.until(SETTLE, "svc reads app/config after the restart", () -> {
      try {
        return "v1".equals(value(svcAfter, "app/config"));
      } catch (Exception e) {
        return false;
      }
    });
    Throwable stillAnonymous = catchThrowable(() -> client(b, null, null).getKVClient()
        .get(bytes("app/config"), GetOption.newBuilder().withSerializable(true).build())
        .get(10, TimeUnit.SECONDS));
    assertThat(stillAnonymous).as("auth is still enabled on " + b.name())
        .hasRootCauseMessage("INVALID_ARGUMENT: etcdserver: user name is empty");
    // both etcd and Keel learn simple tokens from applying the entry that issued them, so a
    // restart that replays that entry from the log knows the token again
    assertThat(KVGrpc.newBlockingStub(channel(b)).withInterceptors(tokenHeader(token))
        .withDeadlineAfter(10, TimeUnit.SECONDS).range(read)
        .getKvs(0).getValue().toStringUtf8()).isEqualTo("v1");
    // another token of the same shape (etcd waits for the Raft index after the dot)
    String forged = (token.charAt(0) == 'a' ? "b" : "a") + token.substring(1);
    StatusRuntimeException refused = (StatusRuntimeException) catchThrowable(
        () -> KVGrpc.newBlockingStub(channel(b)).withInterceptors(tokenHeader(forged))
            .withDeadlineAfter(10, TimeUnit.SECONDS).range(read));
    assertThat(refused.getStatus().getDescription()).isEqualTo("etcdserver: invalid auth token");
  }

  private static io.grpc.ClientInterceptor tokenHeader(String token) {
    Metadata headers = new Metadata();
    headers.put(TOKEN, token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }
}
