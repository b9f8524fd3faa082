package io.keel.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconfigCheckTest {
  private static final List<String> THREE = List.of("a", "b", "c");

  @Test
  void aMemberOfAHealthyClusterMayLeave() {
    assertThat(ReconfigCheck.readyToRemove(THREE, Set.of("a", "b", "c"), "b")).isTrue();
  }

  @Test
  void removingOneWhileAnotherIsDownWouldLeaveNoQuorum() {
    assertThat(ReconfigCheck.readyToRemove(THREE, Set.of("a", "b"), "b")).isFalse();
  }

  @Test
  void theMemberThatIsDownMayBeRemoved() {
    assertThat(ReconfigCheck.readyToRemove(THREE, Set.of("a", "b"), "c")).isTrue();
  }

  @Test
  void aMemberMayJoinAHealthyClusterButNotOneWithAMemberDown() {
    assertThat(ReconfigCheck.readyToAdd(THREE, Set.of("a", "b", "c"))).isTrue();
    assertThat(ReconfigCheck.readyToAdd(THREE, Set.of("a", "b"))).isFalse();
  }

  @Test
  void fiveMembersWithOneDownMayLoseAnotherButNotGainOne() {
    List<String> five = List.of("a", "b", "c", "d", "e");
    assertThat(ReconfigCheck.readyToRemove(five, Set.of("a", "b", "c", "d"), "a")).isTrue();
    assertThat(ReconfigCheck.readyToRemove(five, Set.of("a", "b", "c"), "a")).isFalse();
    assertThat(ReconfigCheck.readyToAdd(five, Set.of("a", "b", "c", "d"))).isFalse();
  }

  @Test
  void aLoneMemberMayBeJoinedByASecond() {
    assertThat(ReconfigCheck.readyToAdd(List.of("a"), Set.of("a"))).isTrue();
  }
}
