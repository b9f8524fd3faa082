package io.keel.cli.contract;

import static io.keel.cli.contract.Wire.assertEtcdError;
import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.failure;
import static io.keel.cli.contract.Wire.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.election.LeaderResponse;
import io.etcd.jetcd.election.NoLeaderException;
import io.etcd.jetcd.election.NotLeaderException;
import io.etcd.jetcd.lock.LockResponse;
import io.grpc.Status;
import io.keel.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * etcd's concurrency services, {@code v3lockpb.Lock} and {@code v3electionpb.Election}, through
 * jetcd's {@code Lock} and {@code Election} clients: one holder at a time, in the order the
 * waiters came, handed on when the holder unlocks, resigns or loses its lease.
 */
public interface ConcurrencyContract extends StoreFixture {
    Duration WAIT = Duration.ofSeconds(20);

    private Lock locks() {
        return client().getLockClient();
    }

    private Election elections() {
        return client().getElectionClient();
    }

    private long lease() {
        return await(client().getLeaseClient().grant(60)).getID();
    }

    /** Waits until {@code n} sessions have their key under the lock's or election's name. */
    private void awaitSessions(ByteSequence name, int n) {
        Await.until(WAIT, n + " sessions under " + text(name), () -> await(client().getKVClient()
                .get(bytes(text(name) + "/"), io.etcd.jetcd.options.GetOption.builder().isPrefix(true).build()))
                .getCount() == n);
    }

    @Test
    default void aLockIsHeldByOneSessionAtATimeInTheOrderTheyCame() {
        ByteSequence name = key("lock");
        LockResponse first = await(locks().lock(name, lease()));
        assertThat(text(first.getKey())).startsWith(text(name) + "/");
        CompletableFuture<LockResponse> second = locks().lock(name, lease());
        awaitSessions(name, 2);
        assertThat(second).as("the second waiter while the first holds the lock").isNotDone();
        await(locks().unlock(first.getKey()));
        LockResponse handedOn = await(second);
        assertThat(handedOn.getKey()).isNotEqualTo(first.getKey());
        assertThat(handedOn.getHeader().getRevision()).isGreaterThan(first.getHeader().getRevision());
        await(locks().unlock(handedOn.getKey()));
        awaitSessions(name, 0);
    }

    @Test
    default void aLockIsHandedOnWhenItsHoldersLeaseIsRevoked() {
        ByteSequence name = key("lock");
        long holderLease = lease();
        await(locks().lock(name, holderLease));
        CompletableFuture<LockResponse> waiter = locks().lock(name, lease());
        awaitSessions(name, 2);
        await(client().getLeaseClient().revoke(holderLease));
        assertThat(text(await(waiter).getKey())).startsWith(text(name) + "/");
    }

    @Test
    default void aLockWithAnUnknownLeaseFails() {
        assertEtcdError(locks().lock(key("lock"), 0x7eed), Status.Code.UNKNOWN,
                "etcdserver: requested lease not found");
    }

    @Test
    default void theFirstCandidateLeadsAndProclaimsUntilItResigns() {
        ByteSequence name = key("election");
        LeaderKey first = await(elections().campaign(name, lease(), bytes("a"))).getLeader();
        assertThat(text(first.getName())).isEqualTo(text(name));
        assertThat(text(await(elections().leader(name)).getKv().getValue())).isEqualTo("a");
        await(elections().proclaim(first, bytes("b")));
        assertThat(text(await(elections().leader(name)).getKv().getValue())).isEqualTo("b");

        var second = elections().campaign(name, lease(), bytes("c"));
        awaitSessions(name, 2);
        assertThat(second).as("the second candidate while the first leads").isNotDone();
        await(elections().resign(first));
        LeaderKey next = await(second).getLeader();
        assertThat(next.getRevision()).isGreaterThan(first.getRevision());
        assertThat(text(await(elections().leader(name)).getKv().getValue())).isEqualTo("c");
        // jetcd turns etcd's "election: not leader" into its own exception
        assertThat(failure(elections().proclaim(first, bytes("late")))).isInstanceOf(NotLeaderException.class);
    }

    @Test
    default void anElectionWithoutCandidatesHasNoLeader() {
        // jetcd turns etcd's "election: no leader" into its own exception
        assertThat(failure(elections().leader(key("nobody")))).isInstanceOf(NoLeaderException.class);
    }

    @Test
    default void observeSeesEachLeaderAndEachValueItProclaims() {
        ByteSequence name = key("election");
        List<String> seen = new CopyOnWriteArrayList<>();
        elections().observe(name, new Election.Listener() {
            @Override
            public void onNext(LeaderResponse response) {
                seen.add(text(response.getKv().getValue()));
            }

            @Override
            public void onError(Throwable throwable) {
                seen.add("error: " + throwable);
            }

            @Override
            public void onCompleted() {
                seen.add("completed");
            }
        });
        LeaderKey first = await(elections().campaign(name, lease(), bytes("v1"))).getLeader();
        Await.until(WAIT, "the first leader observed", () -> seen.contains("v1"));
        await(elections().proclaim(first, bytes("v2")));
        var second = elections().campaign(name, lease(), bytes("w1"));
        awaitSessions(name, 2);
        await(elections().resign(first));
        await(second);
        Await.until(WAIT, "the next leader observed", () -> seen.contains("w1"));
        assertThat(seen).containsExactly("v1", "v2", "w1");
    }
}
