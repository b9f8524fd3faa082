package io.keel.cluster.registry;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Writes engine decisions as compare-and-swap transactions.
 *
 * <p>Each transaction compares the leader key's create revision (the writer's {@link LeaderTerm})
 * and, for every decision in it, the mod revisions the decision was made on; its success branch
 * holds the decisions' writes, its failure branch reads the leader key. Decisions are packed into as
 * few transactions as the store's operation limit allows, and the transactions run concurrently.
 * When a packed transaction fails for a stale revision, its decisions are retried one per
 * transaction so that one stale decision does not hold back the others. When the leader compare
 * fails, the writer has been deposed: nothing more is written.
 */
final class DecisionWriter {

    private final Registry registry;
    private final LeaderTerm term;
    private final int maxTxnOps;

    DecisionWriter(Registry registry, LeaderTerm term, int maxTxnOps) {
        if (maxTxnOps < 4) {
            throw new IllegalArgumentException("maxTxnOps must be at least 4");
        }
        this.registry = registry;
        this.term = term;
        this.maxTxnOps = maxTxnOps;
    }

    CompletableFuture<ApplyResult> write(List<Decision> decisions) {
        if (decisions.isEmpty()) {
            return CompletableFuture.completedFuture(ApplyResult.NOTHING);
        }
        List<CompletableFuture<ApplyResult>> batches = new ArrayList<>();
        for (List<Decision> batch : pack(decisions)) {
            batches.add(writeBatch(batch));
        }
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).thenApply(v -> batches.stream()
                .map(CompletableFuture::join)
                .reduce(ApplyResult.NOTHING, ApplyResult::plus));
    }

    /** Splits decisions into groups whose compares and operations each fit one transaction. */
    List<List<Decision>> pack(List<Decision> decisions) {
        List<List<Decision>> batches = new ArrayList<>();
        List<Decision> current = new ArrayList<>();
        Map<String, Long> compares = new LinkedHashMap<>();
        int ops = 0;
        for (Decision d : decisions) {
            Map<String, Long> own = compares(d);
            int newCompares = 0;
            for (String key : own.keySet()) {
                if (!compares.containsKey(key)) {
                    newCompares++;
                }
            }
            int newOps = ops(d).size();
            // +1: the leader compare every transaction carries
            if (!current.isEmpty() && (compares.size() + newCompares + 1 > maxTxnOps || ops + newOps > maxTxnOps)) {
                batches.add(current);
                current = new ArrayList<>();
                compares.clear();
                ops = 0;
            }
            current.add(d);
            compares.putAll(own);
            ops += newOps;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    private CompletableFuture<ApplyResult> writeBatch(List<Decision> batch) {
        return commit(batch).handle((txn, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof Registry.InvalidRequestException && batch.size() > 1) {
                    // the store allows fewer operations per transaction than we assumed: halve
                    int half = batch.size() / 2;
                    return writeBatch(batch.subList(0, half)).thenCombine(
                            writeBatch(batch.subList(half, batch.size())), ApplyResult::plus);
                }
                return CompletableFuture.<ApplyResult>failedFuture(cause);
            }
            if (txn.isSucceeded()) {
                return CompletableFuture.completedFuture(
                        new ApplyResult(batch.size(), List.of(), false, 1, txn.getHeader().getRevision()));
            }
            if (deposed(txn)) {
                return CompletableFuture.completedFuture(new ApplyResult(0, List.copyOf(batch), true, 1, 0));
            }
            if (batch.size() == 1) {
                return CompletableFuture.completedFuture(new ApplyResult(0, List.copyOf(batch), false, 1, 0));
            }
            List<CompletableFuture<ApplyResult>> singles = new ArrayList<>();
            for (Decision d : batch) {
                singles.add(writeBatch(List.of(d)));
            }
            return CompletableFuture.allOf(singles.toArray(CompletableFuture[]::new)).thenApply(v -> singles.stream()
                    .map(CompletableFuture::join)
                    .reduce(new ApplyResult(0, List.of(), false, 1, 0), ApplyResult::plus));
        }).thenCompose(f -> f);
    }

    private CompletableFuture<TxnResponse> commit(List<Decision> batch) {
        Map<String, Long> modRevisions = new LinkedHashMap<>();
        List<Op> ops = new ArrayList<>();
        for (Decision d : batch) {
            modRevisions.putAll(compares(d));
            ops.addAll(ops(d));
        }
        List<Cmp> cmps = new ArrayList<>();
        ByteSequence leaderKey = Keys.bytes(Keys.ENGINE_LEADER);
        cmps.add(new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.createRevision(term.createRevision())));
        modRevisions.forEach((key, rev) -> cmps.add(new Cmp(Keys.bytes(key), Cmp.Op.EQUAL, CmpTarget.modRevision(rev))));
        String what = batch.size() == 1 ? "writing the decision for " + batch.get(0).unit()
                : "writing " + batch.size() + " decisions";
        return registry.commit(what, cmps, ops, List.of(Op.get(leaderKey, GetOption.DEFAULT)));
    }

    private boolean deposed(TxnResponse txn) {
        List<KeyValue> kvs = txn.getGetResponses().isEmpty() ? List.of() : txn.getGetResponses().get(0).getKvs();
        return kvs.isEmpty() || kvs.get(0).getCreateRevision() != term.createRevision();
    }

    /** Key to expected mod revision, for every key the decision was made on. */
    static Map<String, Long> compares(Decision d) {
        Map<String, Long> c = new LinkedHashMap<>();
        switch (d) {
            case Decision.Place p -> {
                c.put(Keys.unit(p.unit()), p.unitRevision());
                c.put(Keys.machine(p.machine()), p.machineRevision());
                c.put(Keys.schedule(p.unit()), p.scheduleRevision());
            }
            case Decision.Unschedule u -> {
                c.put(Keys.unit(u.unit()), u.unitRevision());
                c.put(Keys.schedule(u.unit()), u.scheduleRevision());
                if (u.reason() != null) {
                    c.put(Keys.unschedulable(u.unit()), u.unschedulableRevision());
                }
            }
            case Decision.MarkUnschedulable m -> {
                c.put(Keys.unit(m.unit()), m.unitRevision());
                c.put(Keys.unschedulable(m.unit()), m.unschedulableRevision());
            }
            case Decision.ClearUnschedulable cl -> c.put(Keys.unschedulable(cl.unit()), cl.unschedulableRevision());
        }
        return c;
    }

    static List<Op> ops(Decision d) {
        return switch (d) {
            case Decision.Place p -> {
                List<Op> ops = new ArrayList<>();
                ops.add(Op.put(Keys.bytes(Keys.schedule(p.unit())),
                        Codec.encode(new ScheduleRecord(p.machine(), p.unitHash())), PutOption.DEFAULT));
                if (p.unschedulableRevision() > 0) {
                    ops.add(Op.delete(Keys.bytes(Keys.unschedulable(p.unit())), DeleteOption.DEFAULT));
                }
                yield ops;
            }
            case Decision.Unschedule u -> {
                List<Op> ops = new ArrayList<>();
                ops.add(Op.delete(Keys.bytes(Keys.schedule(u.unit())), DeleteOption.DEFAULT));
                if (u.reason() != null) {
                    ops.add(Op.put(Keys.bytes(Keys.unschedulable(u.unit())), Keys.bytes(u.reason()), PutOption.DEFAULT));
                }
                yield ops;
            }
            case Decision.MarkUnschedulable m -> List.of(Op.put(Keys.bytes(Keys.unschedulable(m.unit())),
                    Keys.bytes(m.reason()), PutOption.DEFAULT));
            case Decision.ClearUnschedulable cl -> List.of(
                    Op.delete(Keys.bytes(Keys.unschedulable(cl.unit())), DeleteOption.DEFAULT));
        };
    }
}
