package io.keel.lifecycle.locksmith;

import io.keel.cluster.registry.RegistryException;

/** An in-memory semaphore that can be made unreachable, counting calls. */
final class FakeLock implements LockService {

    Semaphore value;
    boolean unreachable;
    int calls;

    FakeLock(Semaphore initial) {
        this.value = initial;
    }

    @Override
    public synchronized Locked lock(String id) {
        calls++;
        check();
        boolean held = value.holds(id);
        value = value.lock(id);
        return held ? Locked.ALREADY_HELD : Locked.ACQUIRED;
    }

    @Override
    public synchronized Unlocked unlock(String id) {
        calls++;
        check();
        if (!value.holds(id)) {
            return Unlocked.NOT_HELD;
        }
        value = value.unlock(id);
        return Unlocked.RELEASED;
    }

    private void check() {
        if (unreachable) {
            throw new RegistryException("store http://127.0.0.1:1 is unreachable (Connection refused)");
        }
    }
}
