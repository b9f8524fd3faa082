package io.keel.testkit.history;

import java.util.ArrayList;
import java.util.List;

/** Hand-made histories: times are plain numbers, clients are names. */
final class Ops {

    private final List<KvOperation> ops = new ArrayList<>();

    List<KvOperation> list() {
        return List.copyOf(ops);
    }

    KvOperation add(String client, KvInput input, KvOutput output, long invoke, long ret) {
        KvOperation op = new KvOperation(ops.size() + 1, client, input, output, invoke, ret);
        ops.add(op);
        return op;
    }

    KvOperation write(String client, String key, String value, long invoke, long ret, long revision) {
        return add(client, new KvInput.Write(key, value), new KvOutput.WriteOk(revision), invoke, ret);
    }

    KvOperation writeUnknown(String client, String key, String value, long invoke, long ret) {
        return add(client, new KvInput.Write(key, value), new KvOutput.Unknown("timeout"), invoke, ret);
    }

    KvOperation read(String client, String key, long invoke, long ret, String value, long modRevision) {
        return add(client, new KvInput.Read(key), new KvOutput.ReadOk(new Versioned(value, modRevision)), invoke, ret);
    }

    KvOperation readAbsent(String client, String key, long invoke, long ret) {
        return add(client, new KvInput.Read(key), new KvOutput.ReadOk(null), invoke, ret);
    }

    KvOperation casRev(String client, String key, long expectedRev, String value, long invoke, long ret,
            KvOutput.CasOk result) {
        return add(client, new KvInput.Cas(key, KvInput.modRevision(expectedRev), value), result, invoke, ret);
    }

    KvOperation casRevUnknown(String client, String key, long expectedRev, String value, long invoke, long ret) {
        return add(client, new KvInput.Cas(key, KvInput.modRevision(expectedRev), value),
                new KvOutput.Unknown("connection lost"), invoke, ret);
    }

    KvOperation casValue(String client, String key, String expected, String value, long invoke, long ret,
            KvOutput.CasOk result) {
        return add(client, new KvInput.Cas(key, KvInput.value(expected), value), result, invoke, ret);
    }
}
