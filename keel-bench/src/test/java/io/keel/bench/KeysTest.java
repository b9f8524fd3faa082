package io.keel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeysTest {
  @Test
  void varintKeysMatchGoPutVarint() {
    // binary.PutVarint zig-zags: 0 -> 00, 1 -> 02, -1 -> 01, 64 -> 80 01, 300 -> d8 04
    assertThat(Keys.varintKey(0, 8)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0);
    assertThat(Keys.varintKey(1, 8)).containsExactly(2, 0, 0, 0, 0, 0, 0, 0);
    assertThat(Keys.varintKey(-1, 8)).containsExactly(1, 0, 0, 0, 0, 0, 0, 0);
    assertThat(Keys.varintKey(64, 8)).containsExactly(0x80, 1, 0, 0, 0, 0, 0, 0);
    assertThat(Keys.varintKey(300, 8)).containsExactly(0xd8, 4, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void keySpaceMustFitTheKeySize() {
    Keys.checkKeySpace(100_000, 8);
    Keys.checkKeySpace(64, 1);
    assertThatThrownBy(() -> Keys.checkKeySpace(65, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keys.varintKey(64, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sequentialKeysCycleAndRandomKeysStayInSpace() {
    assertThat(Keys.keyIndex(7, 5, true)).isEqualTo(2);
    for (int i = 0; i < 1000; i++) {
      assertThat(Keys.keyIndex(i, 10, false)).isBetween(0L, 9L);
    }
  }

  @Test
  void prefixEndIsEtcds() {
    assertThat(Keys.prefixEnd(new byte[] {'a', 'b'})).containsExactly('a', 'c');
    assertThat(Keys.prefixEnd(new byte[] {'a', (byte) 0xff})).containsExactly('b');
    assertThat(Keys.prefixEnd(new byte[] {(byte) 0xff, (byte) 0xff})).containsExactly(0);
  }

  @Test
  void parsesEndpoints() {
    assertThat(Connections.parse("http://127.0.0.1:2379"))
        .isEqualTo(new Connections.HostPort("127.0.0.1", 2379));
    assertThat(Connections.parse("127.0.0.1:23790"))
        .isEqualTo(new Connections.HostPort("127.0.0.1", 23790));
    assertThatThrownBy(() -> Connections.parse("https://127.0.0.1:2379"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Connections.parse("http://127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
