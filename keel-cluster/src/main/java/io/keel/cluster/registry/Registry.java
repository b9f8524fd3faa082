package io.keel.cluster.registry;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The cluster's records in the store ({@link Keys} has the layout), through the etcd v3 API only,
 * so it works the same against a Keel store or a real etcd.
 *
 * <p>Every method returns a future that completes exceptionally with a {@link RegistryException}
 * naming the store when it cannot be reached or does not answer within the request timeout.
 * Methods are thread-safe.
 */
public final class Registry {

    public static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(5);
    /** Keys fetched per range request when reading a whole prefix. */
    public static final int RANGE_PAGE_DEFAULT = 2000;
    /** Attempts of a read-modify-write before giving up on a busy key. */
    static final int CAS_ATTEMPTS = 16;

    private final Client client;
    private final KV kv;
    private final String store;
    private final Duration timeout;

    public Registry(Client client, String storeDescription) {
        this(client, storeDescription, REQUEST_TIMEOUT_DEFAULT);
    }

    public Registry(Client client, String storeDescription, Duration timeout) {
        this.client = client;
        this.kv = client.getKVClient();
        this.store = storeDescription;
        this.timeout = timeout;
    }

    public Client client() {
        return client;
    }

    /** How the store is named in error messages (its endpoints). */
    public String store() {
        return store;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Waits for {@code future}, unwrapping its failure: a {@link RegistryException} (or another
     * runtime exception) is rethrown as is.
     */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while waiting for the store", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new RegistryException(String.valueOf(cause.getMessage()), cause);
        }
    }

    // ---- layout

    /**
     * Writes {@code /keel/version} if the store has none, and fails if it holds a layout version
     * this Keel cannot read.
     */
    public CompletableFuture<Void> ensureLayout() {
        ByteSequence key = Keys.bytes(Keys.VERSION);
        return call("checking the key layout version", () -> kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, Keys.bytes(Keys.LAYOUT_VERSION), PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit())
                .thenAccept(txn -> {
                    if (txn.isSucceeded()) {
                        return;
                    }
                    List<KeyValue> kvs = txn.getGetResponses().get(0).getKvs();
                    String found = kvs.isEmpty() ? "" : Keys.string(kvs.get(0).getValue());
                    if (!Keys.LAYOUT_VERSION.equals(found)) {
                        throw new RegistryException("the store at " + store + " holds Keel key layout version '"
                                + found + "' under /keel/; this Keel reads version " + Keys.LAYOUT_VERSION);
                    }
                });
    }

    // ---- ranges

    /** One page of a key range. */
    public record RangePage(List<KeyValue> kvs, boolean more, long revision) {}

    /**
     * Keys in {@code [from, end)}, at most {@code limit} of them, at {@code revision} (0: the
     * current revision). Linearizable.
     */
    public CompletableFuture<RangePage> range(ByteSequence from, ByteSequence end, int limit, long revision) {
        GetOption.Builder option = GetOption.builder().withRange(end).withLimit(limit);
        if (revision > 0) {
            option.withRevision(revision);
        }
        return call("reading " + Keys.string(from), () -> kv.get(from, option.build()))
                .thenApply(r -> new RangePage(r.getKvs(), r.isMore(), r.getHeader().getRevision()));
    }

    /**
     * Every key under {@code prefix} at one revision (0: the current one), read page by page. The
     * result's revision is the one the keys were read at.
     */
    public CompletableFuture<RangePage> rangeAll(String prefix, long revision) {
        List<KeyValue> all = new ArrayList<>();
        return rangeFrom(Keys.bytes(prefix), Keys.rangeEnd(prefix), revision, all)
                .thenApply(rev -> new RangePage(all, false, rev));
    }

    private CompletableFuture<Long> rangeFrom(ByteSequence from, ByteSequence end, long revision,
            List<KeyValue> into) {
        return range(from, end, RANGE_PAGE_DEFAULT, revision).thenCompose(page -> {
            into.addAll(page.kvs());
            // later pages are read at the first page's revision; their headers carry the store's
            // current revision instead, so the snapshot's revision is the first one
            long snapshot = revision > 0 ? revision : page.revision();
            if (!page.more() || page.kvs().isEmpty()) {
                return CompletableFuture.completedFuture(snapshot);
            }
            ByteSequence last = page.kvs().get(page.kvs().size() - 1).getKey();
            return rangeFrom(after(last), end, snapshot, into);
        });
    }

    /** The smallest key after {@code key}. */
    public static ByteSequence after(ByteSequence key) {
        return key.concat(ByteSequence.from(new byte[] {0}));
    }

    /** Everything under {@code /keel/} at one revision. */
    public CompletableFuture<ClusterView> load() {
        return rangeAll(Keys.ROOT, 0).thenApply(page -> {
            ClusterView view = new ClusterView();
            page.kvs().forEach(view::put);
            view.advanceTo(page.revision());
            return view;
        });
    }

    /** One key's value as text, empty if the key is absent. */
    public CompletableFuture<Optional<String>> value(String key) {
        return call("reading " + key, () -> kv.get(Keys.bytes(key)))
                .thenApply(r -> first(r).map(found -> Keys.string(found.getValue())));
    }

    // ---- units

    public CompletableFuture<Optional<Versioned<UnitRecord>>> unit(String name) {
        String key = Keys.unit(name);
        return call("reading unit " + name, () -> kv.get(Keys.bytes(key)))
                .thenApply(r -> first(r).map(kv -> versioned(kv, Codec.decode(key, kv.getValue(), UnitRecord.class))));
    }

    /** The engine's placement of a unit, if it has one. */
    public CompletableFuture<Optional<ScheduleRecord>> schedule(String name) {
        String key = Keys.schedule(name);
        return call("reading the schedule of " + name, () -> kv.get(Keys.bytes(key)))
                .thenApply(r -> first(r).map(kv -> Codec.decode(key, kv.getValue(), ScheduleRecord.class)));
    }

    /** Creates the unit; completes with false (and changes nothing) if it already exists. */
    public CompletableFuture<Boolean> createUnit(UnitRecord unit) {
        ByteSequence key = Keys.bytes(Keys.unit(unit.name()));
        return call("creating unit " + unit.name(), () -> kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, Codec.encode(unit), PutOption.DEFAULT))
                .commit())
                .thenApply(TxnResponse::isSucceeded);
    }

    /**
     * Read-modify-write of one unit with compare-and-swap on its revision, retried while other
     * writers race. Completes with the unit as stored afterwards, or empty if there is no such unit.
     * {@code change} returning its argument unchanged writes nothing.
     */
    public CompletableFuture<Optional<Versioned<UnitRecord>>> updateUnit(String name, UnaryOperator<UnitRecord> change) {
        return updateUnit(name, change, CAS_ATTEMPTS);
    }

    private CompletableFuture<Optional<Versioned<UnitRecord>>> updateUnit(String name,
            UnaryOperator<UnitRecord> change, int attemptsLeft) {
        return unit(name).thenCompose(current -> {
            if (current.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            UnitRecord updated = change.apply(current.get().value());
            if (updated.equals(current.get().value())) {
                return CompletableFuture.completedFuture(current);
            }
            ByteSequence key = Keys.bytes(Keys.unit(name));
            return call("updating unit " + name, () -> kv.txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(current.get().modRevision())))
                    .Then(Op.put(key, Codec.encode(updated), PutOption.DEFAULT))
                    .commit())
                    .thenCompose(txn -> {
                        if (txn.isSucceeded()) {
                            long rev = txn.getHeader().getRevision();
                            return CompletableFuture.completedFuture(Optional.of(
                                    new Versioned<>(updated, current.get().createRevision(), rev, 0)));
                        }
                        if (attemptsLeft <= 1) {
                            return CompletableFuture.failedFuture(new RegistryException(
                                    "unit " + name + " changed under " + CAS_ATTEMPTS + " attempts to update it; try again"));
                        }
                        return updateUnit(name, change, attemptsLeft - 1);
                    });
        });
    }

    /**
     * Removes the unit with its schedule and unschedulable reason in one transaction. Completes with
     * false if there was no such unit. Reported states stay until their agents clear them.
     */
    public CompletableFuture<Boolean> destroyUnit(String name) {
        ByteSequence key = Keys.bytes(Keys.unit(name));
        return call("destroying unit " + name, () -> kv.txn()
                .If(new Cmp(key, Cmp.Op.GREATER, CmpTarget.createRevision(0)))
                .Then(Op.delete(key, DeleteOption.DEFAULT),
                        Op.delete(Keys.bytes(Keys.schedule(name)), DeleteOption.DEFAULT),
                        Op.delete(Keys.bytes(Keys.unschedulable(name)), DeleteOption.DEFAULT))
                .commit())
                .thenApply(TxnResponse::isSucceeded);
    }

    // ---- machines

    public CompletableFuture<List<Versioned<MachineRecord>>> machines() {
        return rangeAll(Keys.MACHINES, 0).thenApply(page -> page.kvs().stream()
                .map(kv -> versioned(kv, Codec.decode(Keys.string(kv.getKey()), kv.getValue(), MachineRecord.class)))
                .toList());
    }

    /**
     * Publishes the machine record on {@code lease}. Completes with false, changing nothing, if the
     * id is registered under another lease (another node with the same id is alive).
     */
    public CompletableFuture<Boolean> registerMachine(MachineRecord machine, long lease) {
        ByteSequence key = Keys.bytes(Keys.machine(machine.id()));
        PutOption onLease = PutOption.builder().withLeaseId(lease).build();
        return call("registering machine " + machine.id(), () -> kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, Codec.encode(machine), onLease))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit())
                .thenCompose(txn -> {
                    if (txn.isSucceeded()) {
                        return CompletableFuture.completedFuture(true);
                    }
                    List<KeyValue> kvs = txn.getGetResponses().get(0).getKvs();
                    if (kvs.isEmpty() || kvs.get(0).getLease() != lease) {
                        return CompletableFuture.completedFuture(false);
                    }
                    return call("updating machine " + machine.id(), () -> kv.txn()
                            .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(kvs.get(0).getModRevision())))
                            .Then(Op.put(key, Codec.encode(machine), onLease))
                            .commit())
                            .thenApply(TxnResponse::isSucceeded);
                });
    }

    // ---- unit states (written by agents)

    /** Publishes an agent's report for one unit on its machine, on the agent's lease. */
    public CompletableFuture<Long> reportState(UnitStateRecord state, long lease) {
        return call("reporting the state of " + state.name(), () -> kv.put(
                Keys.bytes(Keys.state(state.name(), state.machineID())), Codec.encode(state),
                PutOption.builder().withLeaseId(lease).build()))
                .thenApply(r -> r.getHeader().getRevision());
    }

    public CompletableFuture<Long> clearState(String unit, String machineId) {
        return call("clearing the state of " + unit, () -> kv.delete(Keys.bytes(Keys.state(unit, machineId))))
                .thenApply(r -> r.getHeader().getRevision());
    }

    // ---- engine leadership

    /**
     * Tries to become the engine leader on {@code lease}. Completes with the new term if this
     * candidate won (or already holds the key on this lease), empty if another candidate leads.
     */
    public CompletableFuture<Optional<LeaderTerm>> campaign(String candidateId, long lease) {
        ByteSequence key = Keys.bytes(Keys.ENGINE_LEADER);
        return call("campaigning for engine leader", () -> kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, Keys.bytes(candidateId), PutOption.builder().withLeaseId(lease).build()))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit())
                .thenApply(txn -> {
                    if (txn.isSucceeded()) {
                        return Optional.of(new LeaderTerm(candidateId, txn.getHeader().getRevision(), lease));
                    }
                    List<KeyValue> kvs = txn.getGetResponses().get(0).getKvs();
                    if (!kvs.isEmpty() && kvs.get(0).getLease() == lease
                            && Keys.string(kvs.get(0).getValue()).equals(candidateId)) {
                        return Optional.of(new LeaderTerm(candidateId, kvs.get(0).getCreateRevision(), lease));
                    }
                    return Optional.empty();
                });
    }

    /** The current leader's id and key revisions, if there is a leader. */
    public CompletableFuture<Optional<Versioned<String>>> leader() {
        return call("reading the engine leader", () -> kv.get(Keys.bytes(Keys.ENGINE_LEADER)))
                .thenApply(r -> first(r).map(kv -> versioned(kv, Keys.string(kv.getValue()))));
    }

    /** Gives up leadership if {@code term} still holds it. */
    public CompletableFuture<Boolean> resign(LeaderTerm term) {
        ByteSequence key = Keys.bytes(Keys.ENGINE_LEADER);
        return call("resigning as engine leader", () -> kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(term.createRevision())))
                .Then(Op.delete(key, DeleteOption.DEFAULT))
                .commit())
                .thenApply(TxnResponse::isSucceeded);
    }

    /**
     * Writes {@code decisions} as {@code term}'s leader, batched into transactions of at most
     * {@code maxTxnOps} compares and operations each. See {@link DecisionWriter}.
     */
    public CompletableFuture<ApplyResult> apply(LeaderTerm term, List<Decision> decisions, int maxTxnOps) {
        return new DecisionWriter(this, term, maxTxnOps).write(decisions);
    }

    CompletableFuture<TxnResponse> commit(String what, List<Cmp> compares, List<Op> then, List<Op> otherwise) {
        return call(what, () -> kv.txn()
                .If(compares.toArray(Cmp[]::new))
                .Then(then.toArray(Op[]::new))
                .Else(otherwise.toArray(Op[]::new))
                .commit());
    }

    // ---- helpers

    /**
     * Runs a store call and waits for it, within the registry's timeout; a failure is a one-line
     * {@link RegistryException} naming the store and {@code what} was being done.
     */
    public <T> T callAndWait(String what, Supplier<CompletableFuture<T>> rpc) {
        return await(call(what, rpc));
    }

    <T> CompletableFuture<T> call(String what, Supplier<CompletableFuture<T>> rpc) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<T> started;
        try {
            started = rpc.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(translate(what, e));
        }
        started.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(translate(what, error));
            }
        });
        return result;
    }

    private RuntimeException translate(String what, Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof RegistryException r) {
            return r;
        }
        if (e instanceof TimeoutException) {
            return new RegistryException("store " + store + " did not answer within " + timeout.toMillis()
                    + "ms while " + what, e);
        }
        if (e instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.UNAVAILABLE
                || io.grpc.Status.fromThrowable(e).getCode() == io.grpc.Status.Code.UNAVAILABLE) {
            return new RegistryException("store " + store + " is unreachable (" + rootCause(e) + ") while " + what, e);
        }
        if (e instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.INVALID_ARGUMENT) {
            return new InvalidRequestException("store " + store + " refused " + what + ": " + firstLine(etcd.getMessage()), e);
        }
        return new RegistryException("store " + store + " failed while " + what + ": " + firstLine(String.valueOf(e.getMessage())), e);
    }

    /** The innermost message in the cause chain ("Connection refused"), for one-line errors. */
    private static String rootCause(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        message = firstLine(message == null ? e.toString() : message);
        int colon = message.lastIndexOf(": ");
        return colon >= 0 && message.startsWith("finishConnect") ? message.substring(colon + 2) : message;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static Optional<KeyValue> first(GetResponse response) {
        return response.getKvs().isEmpty() ? Optional.empty() : Optional.of(response.getKvs().get(0));
    }

    static <T> Versioned<T> versioned(KeyValue kv, T value) {
        return new Versioned<>(value, kv.getCreateRevision(), kv.getModRevision(), kv.getLease());
    }

    /** The store refused a request as malformed (too many operations in a transaction, say). */
    public static final class InvalidRequestException extends RegistryException {
        public InvalidRequestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
