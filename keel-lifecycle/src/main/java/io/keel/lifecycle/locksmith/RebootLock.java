package io.keel.lifecycle.locksmith;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.keel.cluster.node.MachineId;
import io.keel.cluster.registry.Registry;
import io.keel.cluster.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One locksmith semaphore in the store, through the etcd v3 API. Every change is a read and a
 * transaction that compares the key's mod revision with the one read (create revision 0 when it
 * was absent), retried on conflict: concurrent lockers never push the holders past {@code max}.
 *
 * <p>An absent key is created as {@link Semaphore#initial()} on first use, as locksmith does. A
 * value that is not a semaphore is refused ({@link BadSemaphoreException}) and never overwritten,
 * except by {@link #reset}. Methods block for at most the request timeout per store call.
 */
public final class RebootLock implements LockService {

    /** Attempts of one read-modify-write before reporting the key as too busy. */
    static final int CAS_ATTEMPTS = 32;

    private final KV kv;
    private final String key;
    private final ByteSequence keyBytes;
    private final Registry registry;

    private RebootLock(Registry registry, String key) {
        this.registry = registry;
        this.kv = registry.client().getKVClient();
        this.key = key;
        this.keyBytes = ByteSequence.from(key, StandardCharsets.UTF_8);
    }

    /** The lock at {@code key} on the registry's store. */
    public static RebootLock on(Registry registry, String key) {
        return new RebootLock(registry, key);
    }

    public String key() {
        return key;
    }

    /** The current value, creating locksmith's initial value if the key is absent. */
    public Semaphore status() {
        return update("reading the reboot lock", UnaryOperator.identity());
    }

    /** Creates the initial value if the key is absent; returns the value now stored. */
    public Semaphore initIfAbsent() {
        return status();
    }

    @Override
    public Locked lock(String id) {
        String holder = MachineId.validate(id);
        boolean[] already = new boolean[1];
        update("locking the reboot lock for " + holder, s -> {
            already[0] = s.holds(holder);
            return s.lock(holder);
        });
        return already[0] ? Locked.ALREADY_HELD : Locked.ACQUIRED;
    }

    @Override
    public Unlocked unlock(String id) {
        boolean[] held = new boolean[1];
        update("unlocking the reboot lock for " + id, s -> {
            held[0] = s.holds(id);
            return held[0] ? s.unlock(id) : s;
        });
        return held[0] ? Unlocked.RELEASED : Unlocked.NOT_HELD;
    }

    /** Sets {@code max} (locksmith's set-max); returns the previous and the new value. */
    public Change setMax(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be 0 or more, not " + max);
        }
        Semaphore[] before = new Semaphore[1];
        Semaphore after = update("setting the reboot lock's max to " + max, s -> {
            before[0] = s;
            return s.withMax(max);
        });
        return new Change(before[0], after);
    }

    /** Removes the given holders (those not holding are ignored); returns the value now stored. */
    public Semaphore removeHolders(Set<String> ids) {
        return update("removing " + ids + " from the reboot lock", s -> s.without(ids));
    }

    /**
     * Replaces whatever is stored, valid or not, with an empty semaphore of {@code max} slots, by
     * CAS on the revision read: the explicit repair for a garbage value.
     */
    public Semaphore reset(int max) {
        Semaphore fresh = Semaphore.ofMax(max);
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            GetResponse read = registry.callAndWait("reading the reboot lock at " + key, () -> kv.get(keyBytes));
            long revision = read.getKvs().isEmpty() ? 0 : read.getKvs().get(0).getModRevision();
            if (write(fresh, revision)) {
                return fresh;
            }
        }
        throw busy();
    }

    /** A change and the value before it. */
    public record Change(Semaphore before, Semaphore after) {}

    private Semaphore update(String what, UnaryOperator<Semaphore> change) {
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            GetResponse read = registry.callAndWait(what + " at " + key, () -> kv.get(keyBytes));
            Semaphore current;
            long revision;
            if (read.getKvs().isEmpty()) {
                current = Semaphore.initial();
                revision = 0;
            } else {
                KeyValue stored = read.getKvs().get(0);
                current = Semaphore.parse(key, stored.getValue().getBytes());
                revision = stored.getModRevision();
            }
            Semaphore next = change.apply(current);
            if (revision != 0 && next.equals(current)) {
                return current;
            }
            if (write(next, revision)) {
                return next;
            }
        }
        throw busy();
    }

    private boolean write(Semaphore value, long revision) {
        Cmp compare = revision == 0
                ? new Cmp(keyBytes, Cmp.Op.EQUAL, CmpTarget.createRevision(0))
                : new Cmp(keyBytes, Cmp.Op.EQUAL, CmpTarget.modRevision(revision));
        TxnResponse txn = registry.callAndWait("writing the reboot lock at " + key, () -> kv.txn()
                .If(compare)
                .Then(Op.put(keyBytes, ByteSequence.from(value.toJson()), PutOption.DEFAULT))
                .commit());
        return txn.isSucceeded();
    }

    private RegistryException busy() {
        return new RegistryException("the reboot lock at " + key + " changed " + CAS_ATTEMPTS
                + " times while it was being updated; try again");
    }
}
