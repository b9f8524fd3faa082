package io.keel.cluster.engine;

import java.time.Duration;

/**
 * Engine settings, each with its default beside it.
 *
 * @param leaseTtl TTL of the leadership lease: how long a dead leader holds the cluster up
 * @param reconcileInterval how often the leader reconciles even when nothing changed
 * @param maxTxnOps most compares (and most operations) in one store transaction; etcd's and
 *     Keel's {@code --max-txn-ops} default is 128
 */
public record EngineConfig(Duration leaseTtl, Duration reconcileInterval, int maxTxnOps) {

    public static final Duration LEASE_TTL_DEFAULT = Duration.ofSeconds(10);
    public static final Duration RECONCILE_INTERVAL_DEFAULT = Duration.ofSeconds(2);
    public static final int MAX_TXN_OPS_DEFAULT = 128;

    public static final EngineConfig DEFAULT =
            new EngineConfig(LEASE_TTL_DEFAULT, RECONCILE_INTERVAL_DEFAULT, MAX_TXN_OPS_DEFAULT);

    public EngineConfig {
        if (leaseTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("engine lease TTL must be at least 1s");
        }
        if (reconcileInterval.isZero() || reconcileInterval.isNegative()) {
            throw new IllegalArgumentException("reconcile interval must be positive");
        }
        if (maxTxnOps < 4) {
            throw new IllegalArgumentException("max txn ops must be at least 4");
        }
    }

    public EngineConfig withLeaseTtl(Duration ttl) {
        return new EngineConfig(ttl, reconcileInterval, maxTxnOps);
    }

    public EngineConfig withReconcileInterval(Duration interval) {
        return new EngineConfig(leaseTtl, interval, maxTxnOps);
    }
}
