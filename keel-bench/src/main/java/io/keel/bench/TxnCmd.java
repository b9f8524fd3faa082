package io.keel.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * etcd's {@code benchmark txn-put}: each transaction puts {@code --txn-ops} keys. Keys are
 * taken in order ({@code (seq*ops + j) % key-space-size}) so one transaction never names a
 * key twice. {@code --with-compare} adds an always-true compare on the first key's
 * mod_revision, exercising the CAS path Keel's scheduler uses.
 */
@Command(name = "txn", aliases = "txn-put", mixinStandardHelpOptions = true,
    description = "Transactions of puts (etcd benchmark 'txn-put').")
public final class TxnCmd extends Workload {
  @Option(names = "--txn-ops", defaultValue = "1", description = "Puts per transaction (default: ${DEFAULT-VALUE}).")
  int txnOps;

  @Option(names = "--key-size", defaultValue = "8", description = "Key size in bytes (default: ${DEFAULT-VALUE}).")
  int keySize;

  @Option(names = "--val-size", defaultValue = "8", description = "Value size in bytes (default: ${DEFAULT-VALUE}).")
  int valSize;

  @Option(names = "--key-space-size", defaultValue = "1",
      description = "Distinct keys; must be >= --txn-ops (default: ${DEFAULT-VALUE}).")
  long keySpaceSize;

  @Option(names = "--with-compare", description = "Add an always-true mod_revision compare.")
  boolean withCompare;

  @Override
  protected String name() {
    return "txn";
  }

  @Override
  protected String unit() {
    return "txn";
  }

  @Override
  protected void describe(JsonLine json) {
    json.put("txn_ops", txnOps).put("key_size", keySize).put("val_size", valSize)
        .put("key_space_size", keySpaceSize).put("with_compare", withCompare);
  }

  @Override
  protected ClosedLoop.Op op() {
    if (txnOps < 1) {
      throw new IllegalArgumentException("--txn-ops must be >= 1");
    }
    if (keySpaceSize < txnOps) {
      throw new IllegalArgumentException("--key-space-size must be >= --txn-ops");
    }
    Keys.checkKeySpace(keySpaceSize, keySize);
    ByteString value = Keys.randomValue(valSize);
    KVGrpc.KVStub[] stubs = new KVGrpc.KVStub[conns.size()];
    for (int i = 0; i < stubs.length; i++) {
      stubs[i] = KVGrpc.newStub(conns.all().get(i));
    }
    return (seq, client, done) -> {
      TxnRequest.Builder b = TxnRequest.newBuilder();
      for (int j = 0; j < txnOps; j++) {
        long idx = Math.floorMod(seq * txnOps + j, keySpaceSize);
        ByteString k = ByteString.copyFrom(Keys.varintKey(idx, keySize));
        if (j == 0 && withCompare) {
          b.addCompare(Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.MOD)
              .setResult(Compare.CompareResult.LESS).setModRevision(Long.MAX_VALUE));
        }
        b.addSuccess(RequestOp.newBuilder()
            .setRequestPut(PutRequest.newBuilder().setKey(k).setValue(value)));
      }
      withDeadline(stubs[client % stubs.length]).txn(b.build(), new StreamObserver<>() {
        private boolean succeeded;

        @Override
        public void onNext(TxnResponse r) {
          succeeded = r.getSucceeded();
        }

        @Override
        public void onError(Throwable t) {
          done.done(t);
        }

        @Override
        public void onCompleted() {
          done.done(succeeded ? null
              : Status.INTERNAL.withDescription("txn compare unexpectedly failed").asException());
        }
      });
    };
  }
}
