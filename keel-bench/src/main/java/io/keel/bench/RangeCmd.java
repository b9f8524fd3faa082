package io.keel.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** etcd's {@code benchmark range KEY [END]}: ranges of one key or a key range. */
@Command(name = "range", mixinStandardHelpOptions = true,
    description = "Ranges of one key or a key range (etcd benchmark 'range').")
public final class RangeCmd extends Workload {
  @Parameters(index = "0", defaultValue = "foo", description = "Key to read (default: ${DEFAULT-VALUE}).")
  String key;

  @Parameters(index = "1", arity = "0..1", description = "Range end (exclusive); omit for one key.")
  String end;

  @Option(names = "--prefix", description = "Read every key starting with KEY.")
  boolean prefix;

  @Option(names = "--consistency", defaultValue = "l",
      description = "l (linearizable) or s (serializable) (default: ${DEFAULT-VALUE}).")
  String consistency;

  @Option(names = "--limit", defaultValue = "0", description = "Maximum keys returned; 0 = all.")
  long limit;

  @Option(names = "--count-only", description = "Return only the count.")
  boolean countOnly;

  @Option(names = "--prepare", defaultValue = "1",
      description = "Keys written before the run: 1 writes KEY itself; N>1 writes KEY000000..KEY(N-1), "
          + "which --prefix reads; 0 writes nothing (default: ${DEFAULT-VALUE}).")
  int prepare;

  @Option(names = "--prepare-val-size", defaultValue = "256",
      description = "Value size of the prepared keys (default: ${DEFAULT-VALUE}).")
  int prepareValSize;

  private long lastCount = -1;

  @Override
  protected String name() {
    return "range";
  }

  private boolean serializable() {
    return switch (consistency) {
      case "s" -> true;
      case "l" -> false;
      default -> throw new IllegalArgumentException("--consistency must be l or s");
    };
  }

  private RangeRequest request() {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    RangeRequest.Builder b = RangeRequest.newBuilder().setKey(ByteString.copyFrom(k))
        .setSerializable(serializable()).setLimit(limit).setCountOnly(countOnly);
    if (prefix) {
      b.setRangeEnd(ByteString.copyFrom(Keys.prefixEnd(k)));
    } else if (end != null) {
      b.setRangeEnd(ByteString.copyFromUtf8(end));
    }
    return b.build();
  }

  @Override
  protected void describe(JsonLine json) {
    json.put("consistency", consistency).put("key", key).put("range_end", end)
        .put("prefix", prefix).put("limit", limit).put("prepared_keys", prepare);
  }

  @Override
  protected void prepare() {
    serializable();
    var kv = KVGrpc.newBlockingStub(conns.forClient(0));
    ByteString value = Keys.randomValue(prepareValSize);
    for (int i = 0; i < prepare; i++) {
      String k = prepare == 1 ? key : key + String.format("%06d", i);
      kv.withDeadlineAfter(common.requestTimeoutSeconds, TimeUnit.SECONDS)
          .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k)).setValue(value).build());
    }
    RangeResponse r = KVGrpc.newBlockingStub(conns.forClient(0))
        .withDeadlineAfter(common.requestTimeoutSeconds, TimeUnit.SECONDS).range(request());
    lastCount = r.getCount();
  }

  @Override
  protected void after(ClosedLoop.Outcome outcome, JsonLine json, StringBuilder human) {
    json.put("keys_per_range", lastCount);
    human.append("  keys per range: ").append(lastCount).append('\n');
  }

  @Override
  protected ClosedLoop.Op op() {
    RangeRequest req = request();
    KVGrpc.KVStub[] stubs = new KVGrpc.KVStub[conns.size()];
    for (int i = 0; i < stubs.length; i++) {
      stubs[i] = KVGrpc.newStub(conns.all().get(i));
    }
    return (seq, client, done) -> withDeadline(stubs[client % stubs.length]).range(req,
        completing(done));
  }
}
