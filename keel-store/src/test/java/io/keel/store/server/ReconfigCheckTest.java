package io.keel.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconfigCheckTest {
  private static final List<String> THREE = List.of("a", "b", "c");
  private static final Set<String> ALL_THREE = Set.of("a", "b", "c");

  @Test
  void aMemberOfAHealthyClusterMayLeave() {
    assertThat(ReconfigCheck.readyToRemove(THREE, ALL_THREE, ALL_THREE, "b")).isTrue();
  }

  @Test
  void removingOneWhileAnotherIsDownWouldLeaveNoQuorum() {
    assertThat(ReconfigCheck.readyToRemove(THREE, Set.of("a", "b"), Set.of("a", "b"), "b"))
        .isFalse();
  }

  @Test
  void theMemberThatIsDownMayBeRemovedEvenBeforeTheOthersCountAsConnected() {
    assertThat(ReconfigCheck.readyToRemove(THREE, Set.of("a", "b"), Set.of("a"), "c")).isTrue();
  }

  @Test
  void aMemberThatAnswersButCameBackJustNowDoesNotCountTowardsTheQuorum() {
    assertThat(ReconfigCheck.readyToRemove(THREE, ALL_THREE, Set.of("a", "b"), "b")).isFalse();
    assertThat(ReconfigCheck.readyToAdd(THREE, Set.of("a", "b"))).isFalse();
  }

  @Test
  void aMemberMayJoinAHealthyClusterButNotOneWithAMemberDown() {
    assertThat(ReconfigCheck.readyToAdd(THREE, ALL_THREE)).isTrue();
    assertThat(ReconfigCheck.readyToAdd(THREE, Set.of("a", "b"))).isFalse();
  }

  @Test
  void fiveMembersWithOneDownMayLoseAnotherButNotGainOne() {
    List<String> five = List.of("a", "b", "c", "d", "e");
    Set<String> fourUp = Set.of("a", "b", "c", "d");
    assertThat(ReconfigCheck.readyToRemove(five, fourUp, fourUp, "a")).isTrue();
    Set<String> threeUp = Set.of("a", "b", "c");
    assertThat(ReconfigCheck.readyToRemove(five, threeUp, threeUp, "a")).isFalse();
    assertThat(ReconfigCheck.readyToAdd(five, fourUp)).isFalse();
  }

  @Test
  void theOnlyMemberCannotLeaveButMayBeJoinedByASecond() {
    assertThat(ReconfigCheck.readyToRemove(List.of("a"), Set.of("a"), Set.of("a"), "a"))
        .isFalse();
    assertThat(ReconfigCheck.readyToAdd(List.of("a"), Set.of("a"))).isTrue();
  }
}
