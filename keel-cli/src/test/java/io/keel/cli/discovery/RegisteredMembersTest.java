package io.keel.cli.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegisteredMembersTest {
  private static final String T = "tok";

  private static String key(String id) {
    return DiscoveryKeys.membersPrefix(T) + id;
  }

  private static RegisteredMembers of(Object... keyValueRev) {
    RegisteredMembers m = new RegisteredMembers(T);
    for (int i = 0; i < keyValueRev.length; i += 3) {
      assertThat(m.add(key((String) keyValueRev[i]), (String) keyValueRev[i + 1],
          (Long) keyValueRev[i + 2])).isNull();
    }
    return m;
  }

  @Test
  void keysFollowEtcdsLayoutWithTheIdInHex() {
    assertThat(DiscoveryKeys.sizeKey("abc")).isEqualTo("/_etcd/registry/abc/_config/size");
    assertThat(DiscoveryKeys.memberKey("abc", 0x8e9e05c52164694dL))
        .isEqualTo("/_etcd/registry/abc/members/8e9e05c52164694d");
    assertThat(DiscoveryKeys.memberKey("abc", 0x0abcL)).endsWith("/members/abc");
  }

  @Test
  void theFirstSizeMembersByCreateRevisionFormTheCluster() {
    RegisteredMembers m = of("c", "n3=http://127.0.0.1:3", 30L, "a", "n1=http://127.0.0.1:1", 10L,
        "d", "n4=http://127.0.0.1:4", 40L, "b", "n2=http://127.0.0.1:2", 20L);
    assertThat(m.isComplete(3)).isTrue();
    assertThat(m.initialCluster(3))
        .isEqualTo("n1=http://127.0.0.1:1,n2=http://127.0.0.1:2,n3=http://127.0.0.1:3");
    assertThat(m.isFull(key("c"), 3)).isFalse();
    assertThat(m.isFull(key("d"), 3)).isTrue();
  }

  @Test
  void aLateMemberIsToldTheClusterIsFullWithoutRegistering() {
    RegisteredMembers m = of("a", "n1=http://h:1", 5L, "b", "n2=http://h:2", 6L);
    assertThat(m.isFull(key("z"), 3)).as("room left").isFalse();
    assertThat(m.isFull(key("z"), 2)).isTrue();
    assertThatThrownBy(() -> m.requireRoom(key("z"), 2))
        .isInstanceOf(DiscoveryException.class)
        .hasMessageStartingWith("discovery: cluster is full")
        .hasMessageContaining("n1, n2");
  }

  @Test
  void anIncompleteClusterHasNoInitialClusterYet() {
    RegisteredMembers m = of("a", "n1=http://h:1", 5L);
    assertThat(m.isComplete(2)).isFalse();
    assertThat(m.isFull(key("a"), 2)).isFalse();
    assertThatThrownBy(() -> m.initialCluster(2)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aMemberWithSeveralPeerUrlsKeepsEtcdsNameEqualsUrlForm() {
    RegisteredMembers m = of("a", "n1=http://h:1,n1=http://h:11", 1L, "b", "n2=http://h:2", 2L);
    assertThat(m.initialCluster(2)).isEqualTo("n1=http://h:1,n1=http://h:11,n2=http://h:2");
  }

  @Test
  void malformedAndDuplicateRegistrationsAreIgnored() {
    RegisteredMembers m = new RegisteredMembers(T);
    assertThat(m.add(key("a"), "no-equals-sign", 1)).contains("invalid peer info");
    assertThat(m.add("/_etcd/registry/other/members/a", "n=http://h:1", 1)).contains("not a member key");
    assertThat(m.add(key("a"), "n1=http://h:1", 2)).isNull();
    assertThat(m.add(key("a"), "n1=http://h:1", 2)).contains("duplicate");
    assertThat(m.count()).isEqualTo(1);
  }

  @Test
  void badUrlsAndTwiceUsedNamesAmongTheChosenAreErrors() {
    assertThatThrownBy(() -> of("a", "n1=ftp://h:1", 1L).initialCluster(1))
        .isInstanceOf(DiscoveryException.class).hasMessageStartingWith("discovery: invalid peer URL");
    assertThatThrownBy(() -> of("a", "n1=http://h:1", 1L, "b", "n1=http://h:2", 2L).initialCluster(2))
        .isInstanceOf(DiscoveryException.class).hasMessageContaining("'n1' is registered twice");
  }

  @Test
  void sizeMustBeAPositiveIntegerAndPresent() {
    assertThat(DiscoveryKeys.parseSize(T, "3")).isEqualTo(3);
    assertThatThrownBy(() -> DiscoveryKeys.parseSize(T, null))
        .hasMessageStartingWith("discovery: size key not found")
        .hasMessageContaining("/_etcd/registry/tok/_config/size");
    for (String bad : new String[] {"0", "-1", "three", "", "3.5", "99999999999"}) {
      assertThatThrownBy(() -> DiscoveryKeys.parseSize(T, bad)).as(bad)
          .isInstanceOf(DiscoveryException.class)
          .hasMessageStartingWith("discovery: size key is bad")
          .hasMessageContaining("/_etcd/registry/tok/_config/size holds '" + bad + "'");
    }
  }

  @Test
  void tokensAreOneKeySegment() {
    assertThat(DiscoveryKeys.checkToken("my-cluster-1")).isEqualTo("my-cluster-1");
    assertThatThrownBy(() -> DiscoveryKeys.checkToken("a/b")).hasMessageContaining("must not contain '/'");
    assertThatThrownBy(() -> DiscoveryKeys.checkToken("")).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> DiscoveryKeys.checkToken(" a")).hasMessageContaining("white space");
  }
}
