package io.keel.lifecycle.locksmith;

/**
 * One reboot semaphore as the coordinator and FleetLock see it. Implementations may block and
 * throw {@link io.keel.cluster.registry.RegistryException} when the store cannot be reached.
 */
public interface LockService {

    /** What {@link #lock} did. */
    enum Locked { ACQUIRED, ALREADY_HELD }

    /** What {@link #unlock} did. */
    enum Unlocked { RELEASED, NOT_HELD }

    /**
     * Makes {@code id} a holder, or reports it already was one.
     *
     * @throws LockHeldException when no slot is free (its message names the holders)
     * @throws BadSemaphoreException when the stored value is not a semaphore (nothing is written)
     */
    Locked lock(String id);

    /** Removes {@code id} from the holders, or reports it was not one. */
    Unlocked unlock(String id);
}
