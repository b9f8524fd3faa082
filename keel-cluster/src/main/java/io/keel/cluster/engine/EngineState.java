package io.keel.cluster.engine;

import java.util.Map;
import java.util.Set;

/**
 * The engine's lifecycle.
 *
 * <pre>
 * LATENT --start--> CANDIDATE --won the election--> LEADER
 *                      ^  |                            |
 *                      |  +--store session suspended---+--> SUSPENDED
 *                      +--- term lost (key gone or taken, lease lost) / session back
 * any --close--> CLOSED
 * </pre>
 *
 * Only a LEADER reconciles. A SUSPENDED engine cannot renew its lease and writes nothing; when the
 * session comes back it campaigns again (and keeps its term if its lease survived).
 */
public enum EngineState {
    LATENT, CANDIDATE, LEADER, SUSPENDED, CLOSED;

    private static final Map<EngineState, Set<EngineState>> NEXT = Map.of(
            LATENT, Set.of(CANDIDATE, CLOSED),
            CANDIDATE, Set.of(LEADER, SUSPENDED, CLOSED),
            LEADER, Set.of(CANDIDATE, SUSPENDED, CLOSED),
            SUSPENDED, Set.of(CANDIDATE, CLOSED),
            CLOSED, Set.of());

    public boolean canMoveTo(EngineState next) {
        return NEXT.get(this).contains(next);
    }
}
