package io.keel.cli.contract;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import io.keel.testkit.StoreProcess;

/**
 * What every contract needs from its binding: a running store, a jetcd client on it, a raw gRPC
 * channel for what jetcd does not expose, and a key prefix owned by the current test.
 */
public interface StoreFixture {

    StoreProcess store();

    Client client();

    /** A plain gRPC channel to the store, for etcd's generated stubs. */
    ManagedChannel channel();

    /** A key prefix no other test uses, ending in {@code /}. */
    String prefix();

    default ByteSequence key(String name) {
        return Wire.bytes(prefix() + name);
    }

    default ByteSequence prefixKey() {
        return Wire.bytes(prefix());
    }

    /** A key just outside {@link #prefix()} (shares it but for the trailing slash). */
    default ByteSequence siblingKey() {
        return Wire.bytes(prefix().substring(0, prefix().length() - 1) + "~");
    }

    /** The store's current revision, read with a linearizable get. */
    default long currentRevision() {
        return Wire.await(client().getKVClient().get(Wire.bytes("\0"))).getHeader().getRevision();
    }
}
