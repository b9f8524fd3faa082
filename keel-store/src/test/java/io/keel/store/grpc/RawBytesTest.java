package io.keel.store.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class RawBytesTest {
  private static final byte[] MESSAGE = "a forwarded batch".getBytes();

  /** A stream that says how long it is, as gRPC's received messages do. */
  private static final class Known extends ByteArrayInputStream implements KnownLength {
    private final int claimed;

    Known(byte[] bytes, int claimed) {
      super(bytes);
      this.claimed = claimed;
    }

    @Override
    public int available() {
      return Math.max(0, claimed - pos);
    }
  }

  @Test
  void aMessageIsDrainedWholeStraightFromItsArray() throws Exception {
    InputStream stream = RawBytes.INSTANCE.stream(MESSAGE);
    assertThat(stream).isInstanceOf(Drainable.class).isInstanceOf(KnownLength.class)
        .isInstanceOf(org.apache.ratis.thirdparty.io.grpc.Drainable.class)
        .isInstanceOf(org.apache.ratis.thirdparty.io.grpc.KnownLength.class);
    assertThat(stream.available()).isEqualTo(MESSAGE.length);

    var out = new ByteArrayOutputStream();
    assertThat(((Drainable) stream).drainTo(out)).isEqualTo(MESSAGE.length);

    assertThat(out.toByteArray()).isEqualTo(MESSAGE);
    assertThat(stream.read()).isEqualTo(-1);
  }

  @Test
  void aStreamOfKnownLengthOrNotIsReadWhole() {
    assertThat(RawBytes.INSTANCE.parse(new Known(MESSAGE, MESSAGE.length))).isEqualTo(MESSAGE);
    assertThat(RawBytes.INSTANCE.parse(new ByteArrayInputStream(MESSAGE))).isEqualTo(MESSAGE);
    assertThat(RawBytes.INSTANCE.parse(new Known(new byte[0], 0))).isEmpty();
  }

  @Test
  void aStreamLongerOrShorterThanItSaysIsRefused() {
    assertThatThrownBy(() -> RawBytes.INSTANCE.parse(new Known(MESSAGE, MESSAGE.length - 1)))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("and more");
    assertThatThrownBy(() -> RawBytes.read(new ByteArrayInputStream(MESSAGE) {
      @Override
      public int available() {
        return MESSAGE.length + 4;
      }
    }, true)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("a message of " + (MESSAGE.length + 4) + " bytes had " + MESSAGE.length);
  }
}
