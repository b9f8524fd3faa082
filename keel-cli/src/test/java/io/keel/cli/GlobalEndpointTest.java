package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobalEndpointTest {
  @Test
  void aLeadingEndpointMovesAfterTheVerb() {
    assertThat(GlobalEndpoint.afterVerb(new String[] {"--endpoint", "http://h:1", "list-units", "-l"}))
        .containsExactly("list-units", "--endpoint", "http://h:1", "-l");
    assertThat(GlobalEndpoint.afterVerb(new String[] {"--endpoint=http://h:1", "cat", "a.service"}))
        .containsExactly("cat", "--endpoint=http://h:1", "a.service");
  }

  @Test
  void otherCommandLinesAreLeftAlone() {
    assertThat(GlobalEndpoint.afterVerb(new String[] {"list-units", "--endpoint", "x"}))
        .containsExactly("list-units", "--endpoint", "x");
    assertThat(GlobalEndpoint.afterVerb(new String[] {"--endpoint", "x"}))
        .containsExactly("--endpoint", "x");
    assertThat(GlobalEndpoint.afterVerb(new String[0])).isEmpty();
  }
}
