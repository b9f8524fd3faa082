package io.keel.store.raft;

import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.StoreError;
import java.util.Arrays;

/**
 * Encodes what applying an entry produced: {@code 0} then the response message, or {@code 1}
 * then the ordinal of the {@link StoreError} that refused it. A refusal is a result, never an
 * exception out of the state machine.
 */
final class Results {
  private Results() {}

  static byte[] ok(byte[] response) {
    byte[] out = new byte[response.length + 1];
    System.arraycopy(response, 0, out, 1, response.length);
    return out;
  }

  static byte[] error(StoreError error) {
    return new byte[] {1, (byte) error.ordinal()};
  }

  /** The response message bytes; throws the recorded refusal. */
  static byte[] unwrap(byte[] result) {
    if (result.length > 0 && result[0] == 1) {
      throw new MvccException(StoreError.values()[result[1]]);
    }
    return Arrays.copyOfRange(result, 1, result.length);
  }
}
