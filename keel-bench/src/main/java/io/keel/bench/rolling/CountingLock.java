package io.keel.bench.rolling;

import io.keel.lifecycle.locksmith.LockHeldException;
import io.keel.lifecycle.locksmith.LockService;
import java.util.concurrent.atomic.LongAdder;

/** A {@link LockService} that counts what the coordinators asked of it and how it answered. */
public final class CountingLock implements LockService {
  /** Told after every unlock that released a slot. */
  public interface Released {
    void released(String id);
  }

  private final LockService delegate;
  private final Released onRelease;
  final LongAdder lockCalls = new LongAdder();
  final LongAdder acquired = new LongAdder();
  final LongAdder refused = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder unlockCalls = new LongAdder();

  public CountingLock(LockService delegate, Released onRelease) {
    this.delegate = delegate;
    this.onRelease = onRelease;
  }

  @Override
  public Locked lock(String id) {
    lockCalls.increment();
    try {
      Locked locked = delegate.lock(id);
      acquired.increment();
      return locked;
    } catch (LockHeldException e) {
      refused.increment();
      throw e;
    } catch (RuntimeException e) {
      failed.increment();
      throw e;
    }
  }

  @Override
  public Unlocked unlock(String id) {
    unlockCalls.increment();
    Unlocked unlocked;
    try {
      unlocked = delegate.unlock(id);
    } catch (RuntimeException e) {
      failed.increment();
      throw e;
    }
    if (unlocked == Unlocked.RELEASED) {
      onRelease.released(id);
    }
    return unlocked;
  }

  public long lockCalls() {
    return lockCalls.sum();
  }

  public long acquired() {
    return acquired.sum();
  }

  public long refused() {
    return refused.sum();
  }

  public long failed() {
    return failed.sum();
  }

  public long unlockCalls() {
    return unlockCalls.sum();
  }
}
