package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.PutRequest;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class EntryBodiesTest {
  private static final PutRequest PUT = PutRequest.newBuilder()
      .setKey(com.google.protobuf.ByteString.copyFromUtf8("key"))
      .setValue(com.google.protobuf.ByteString.copyFrom(new byte[300]))
      .setLease(7).build();

  private static ByteString entry() {
    byte[] body = PUT.toByteArray();
    byte[] entry = new byte[body.length + 1];
    entry[0] = Command.PUT.tag();
    System.arraycopy(body, 0, entry, 1, body.length);
    return ByteString.copyFrom(entry);
  }

  @Test
  void aRequestIsReadAfterItsTagFromOneArrayOrSeveral() throws Exception {
    ByteString flat = entry();
    ByteString inBatch = ByteString.copyFromUtf8("xx").concat(flat).substring(2);
    ByteString rope = flat.substring(0, 100).concat(flat.substring(100));

    for (ByteString entry : new ByteString[] {flat, inBatch, rope}) {
      assertThat(PutRequest.parseFrom(EntryBodies.input(entry))).isEqualTo(PUT);
      assertThat(PutRequest.parseFrom(EntryBodies.body(entry))).isEqualTo(PUT);
    }
  }
}
