package io.keel.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** etcd's {@code benchmark put}: puts of {@code --key-size}-byte keys. */
@Command(name = "put", mixinStandardHelpOptions = true,
    description = "Puts of random or sequential keys (etcd benchmark 'put').")
public final class PutCmd extends Workload {
  @Option(names = "--key-size", defaultValue = "8", description = "Key size in bytes (default: ${DEFAULT-VALUE}).")
  int keySize;

  @Option(names = "--val-size", defaultValue = "256", description = "Value size in bytes (default: ${DEFAULT-VALUE}).")
  int valSize;

  @Option(names = "--key-space-size", defaultValue = "1",
      description = "Distinct keys written (default: ${DEFAULT-VALUE}, as etcd's benchmark).")
  long keySpaceSize;

  @Option(names = "--sequential-keys", description = "Write keys in order instead of at random.")
  boolean sequential;

  @Override
  protected String name() {
    return "put";
  }

  @Override
  protected void describe(JsonLine json) {
    json.put("key_size", keySize).put("val_size", valSize).put("key_space_size", keySpaceSize)
        .put("sequential_keys", sequential);
  }

  @Override
  protected ClosedLoop.Op op() {
    Keys.checkKeySpace(keySpaceSize, keySize);
    ByteString value = Keys.randomValue(valSize);
    KVGrpc.KVStub[] stubs = new KVGrpc.KVStub[conns.size()];
    for (int i = 0; i < stubs.length; i++) {
      stubs[i] = KVGrpc.newStub(conns.all().get(i));
    }
    return (seq, client, done) -> {
      byte[] key = Keys.varintKey(Keys.keyIndex(seq, keySpaceSize, sequential), keySize);
      PutRequest req = PutRequest.newBuilder()
          .setKey(ByteString.copyFrom(key)).setValue(value).build();
      withDeadline(stubs[client % stubs.length]).put(req, completing(done));
    };
  }
}
