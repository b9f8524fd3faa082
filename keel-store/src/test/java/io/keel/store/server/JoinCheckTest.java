package io.keel.store.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.store.apply.Members;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class JoinCheckTest {
  private static final URI P1 = URI.create("http://127.0.0.1:1");
  private static final URI P2 = URI.create("http://127.0.0.1:2");
  private static final List<String> MINE = List.of("http://127.0.0.1:4", "http://127.0.0.2:4");
  private static final long ID = 4;
  private static final long CLUSTER = 77;

  private static Members.Member member(long id, String name, List<String> peerUrls) {
    return new Members.Member(id, name, peerUrls, List.of(), false);
  }

  private static final List<Members.Member> WITHOUT_ME = List.of(
      member(1, "n1", List.of(P1.toString())), member(2, "", List.of(P2.toString())));

  private static final Map<String, List<String>> INITIAL_CLUSTER = Map.of(
      "n1", List.of(P1.toString()), "n2", List.of(P2.toString()), "n4", MINE);

  private static long check(Map<URI, CompletableFuture<List<Members.Member>>> answers) {
    return check(INITIAL_CLUSTER, answers);
  }

  private static long check(Map<String, List<String>> initialCluster,
      Map<URI, CompletableFuture<List<Members.Member>>> answers) {
    return JoinCheck.check("n4", MINE, CLUSTER, initialCluster, List.of(P1, P2),
        peer -> answers.get(peer).thenApply(list -> new JoinCheck.Listing(CLUSTER, list)),
        Duration.ofSeconds(1));
  }

  private static final List<Members.Member> WITH_ME = List.of(WITHOUT_ME.get(0), WITHOUT_ME.get(1),
      member(ID, "", List.of(MINE.get(1), MINE.get(0))));

  private static CompletableFuture<List<Members.Member>> down() {
    return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
  }

  @Test
  void takesTheIdTheFirstPeerThatAnswersListsThisMembersPeerUrlsUnderInAnyOrder() {
    assertThat(check(Map.of(P1, down(), P2, CompletableFuture.completedFuture(WITH_ME))))
        .isEqualTo(ID);
  }

  @Test
  void failsWhenInitialClusterDoesNotListTheClustersMembers() {
    var missingOne = Map.of("n1", List.of(P1.toString()), "n4", MINE);
    assertThatThrownBy(() -> check(missingOne,
            Map.of(P1, CompletableFuture.completedFuture(WITH_ME), P2, down())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match the cluster's member list")
        .hasMessageContaining("the --initial-cluster that `etcdctl member add` printed");
    var otherUrl = Map.of("n1", List.of(P1.toString()), "n2", List.of("http://127.0.0.1:9"),
        "n4", MINE);
    assertThatThrownBy(() -> check(otherUrl,
            Map.of(P1, CompletableFuture.completedFuture(WITH_ME), P2, down())))
        .hasMessageContaining("does not match the cluster's member list");
  }

  @Test
  void failsNamingTheFixWhenTheClusterDoesNotListThisMember() {
    assertThatThrownBy(() -> check(Map.of(P1, CompletableFuture.completedFuture(WITHOUT_ME),
            P2, CompletableFuture.completedFuture(WITHOUT_ME))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("member 'n4' (peer URLs " + MINE + ") is not in the cluster's member"
            + " list (n1=http://127.0.0.1:1, 2=http://127.0.0.1:2")
        .hasMessageContaining("etcdctl member add n4 --peer-urls=http://127.0.0.1:4,http://127.0.0.2:4");
  }

  @Test
  void failsNamingTheTokenWhenThePeerAnswersForAnotherCluster() {
    assertThatThrownBy(() -> JoinCheck.check("n4", MINE, CLUSTER, INITIAL_CLUSTER, List.of(P1),
            peer -> CompletableFuture.completedFuture(new JoinCheck.Listing(78, WITH_ME)),
            Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("answered for cluster 4e, but this member's --initial-cluster-token"
            + " makes cluster 4d");
  }

  @Test
  void failsWhenNoPeerAnswersSinceTheIdComesFromTheirList() {
    assertThatThrownBy(() -> check(Map.of(P1, down(), P2, new CompletableFuture<>())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no member of the cluster answered at [" + P1 + ", " + P2 + "]")
        .hasMessageContaining("takes its id from the cluster's member list");
  }
}
