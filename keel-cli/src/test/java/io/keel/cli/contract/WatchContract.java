package io.keel.cli.contract;

import static io.keel.cli.contract.Wire.await;
import static io.keel.cli.contract.Wire.bytes;
import static io.keel.cli.contract.Wire.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchEvent.EventType;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** Watch: from now and from history, filters, prev_kv, cancel, compaction, order, resume. */
public interface WatchContract extends StoreFixture {

    private KV kv() {
        return client().getKVClient();
    }

    private long put(String name, String value) {
        return await(kv().put(key(name), bytes(value))).getHeader().getRevision();
    }

    private long delete(String name) {
        return await(kv().delete(key(name))).getHeader().getRevision();
    }

    private Watch.Watcher watch(String name, WatchOption.Builder options, WatchRecorder recorder) {
        return client().getWatchClient().watch(key(name), options.build(), recorder);
    }

    private Watch.Watcher watchPrefix(WatchOption.Builder options, WatchRecorder recorder) {
        return client().getWatchClient().watch(prefixKey(), options.isPrefix(true).build(), recorder);
    }

    private static List<Long> revisions(List<WatchEvent> events) {
        return events.stream().map(e -> e.getKeyValue().getModRevision()).toList();
    }

    private static List<EventType> types(List<WatchEvent> events) {
        return events.stream().map(WatchEvent::getEventType).toList();
    }

    @Test
    default void watchFromNowSeesLaterPutsAndDeletes() {
        put("k", "before");
        WatchRecorder recorder = new WatchRecorder();
        try (Watch.Watcher ignored = watch("k", WatchOption.builder().withCreateNotify(true), recorder)) {
            recorder.awaitCreated();
            long put = put("k", "after");
            long deleted = delete("k");
            List<WatchEvent> events = recorder.awaitEvents(2);
            assertThat(types(events)).containsExactly(EventType.PUT, EventType.DELETE);
            assertThat(revisions(events)).containsExactly(put, deleted);
            WatchEvent putEvent = events.get(0);
            assertThat(text(putEvent.getKeyValue().getKey())).isEqualTo(prefix() + "k");
            assertThat(text(putEvent.getKeyValue().getValue())).isEqualTo("after");
            assertThat(putEvent.getKeyValue().getVersion()).isEqualTo(2);
            assertThat(putEvent.getKeyValue().getCreateRevision()).isLessThan(put);
            WatchEvent deleteEvent = events.get(1);
            assertThat(text(deleteEvent.getKeyValue().getKey())).isEqualTo(prefix() + "k");
            assertThat(deleteEvent.getKeyValue().getValue().isEmpty()).isTrue();
        }
    }

    @Test
    default void watchFromAPastRevisionReplaysHistoryInOrder() {
        long r1 = put("k", "v1");
        long r2 = put("k", "v2");
        long r3 = delete("k");
        long r4 = put("k", "v3");
        WatchRecorder recorder = new WatchRecorder();
        try (Watch.Watcher ignored = watch("k", WatchOption.builder().withRevision(r1), recorder)) {
            List<WatchEvent> events = recorder.awaitEvents(4);
            assertThat(revisions(events)).containsExactly(r1, r2, r3, r4);
            assertThat(types(events)).containsExactly(EventType.PUT, EventType.PUT, EventType.DELETE, EventType.PUT);
            assertThat(events.stream().map(e -> text(e.getKeyValue().getValue())).toList())
                    .containsExactly("v1", "v2", "", "v3");
            assertThat(events.get(3).getKeyValue().getVersion()).isEqualTo(1);
            assertThat(events.get(3).getKeyValue().getCreateRevision()).isEqualTo(r4);
        }
    }

    @Test
    default void prefixWatchSeesOnlyKeysUnderThePrefix() {
        WatchRecorder recorder = new WatchRecorder();
        try (Watch.Watcher ignored = watchPrefix(WatchOption.builder().withCreateNotify(true), recorder)) {
            recorder.awaitCreated();
            await(kv().put(siblingKey(), bytes("outside")));
            long a = put("a", "1");
            long b = put("deeper/b", "2");
            List<WatchEvent> events = recorder.awaitEvents(2);
            assertThat(revisions(events)).containsExactly(a, b);
            assertThat(events.stream().map(e -> text(e.getKeyValue().getKey())).toList())
                    .containsExactly(prefix() + "a", prefix() + "deeper/b");
        }
    }

    /** Keys a, b, c, d, then b again: a [b, d) watch from history sees b, c, b and nothing else. */
    @Test
    default void rangeWatchIsHalfOpen() {
        long start = currentRevision() + 1;
        for (String name : List.of("a", "b", "c", "d", "b")) {
            put(name, name);
        }
        WatchRecorder recorder = new WatchRecorder();
        try (Watch.Watcher ignored = watch("b", WatchOption.builder().withRange(key("d")).withRevision(start),
                recorder)) {
            List<WatchEvent> events = recorder.awaitEvents(3);
            assertThat(events.stream().map(e -> text(e.getKeyValue().getKey())).toList())
                    .containsExactly(prefix() + "b", prefix() + "c", prefix() + "b");
        }
    }

    @Test
    default void prevKvIsAttachedToPutsAndDeletes() {
        long first = put("k", "v1");
        WatchRecorder recorder = new WatchRecorder();
        try (Watch.Watcher ignored = watch("k", WatchOption.builder().withPrevKV(true).withRevision(first + 1),
                recorder)) {
            put("k", "v2");
            delete("k");
            List<WatchEvent> events = recorder.awaitEvents(2);
            assertThat(text(events.get(0).getPrevKV().getValue())).isEqualTo("v1");
            assertThat(events.get(0).getPrevKV().getModRevision()).isEqualTo(first);
            assertThat(text(events.get(1).getPrevKV().getValue())).isEqualTo("v2");
            assertThat(events.get(1).getPrevKV().getVersion()).isEqualTo(2);
        }
    }

    @Test
    default void noPutAndNoDeleteFiltersDropThoseEvents() {
        long start = currentRevision() + 1;
        put("k", "v1");
        long deleted1 = delete("k");
        long put2 = put("k", "v2");
        long deleted2 = delete("k");
        WatchRecorder deletesOnly = new WatchRecorder();
        WatchRecorder putsOnly = new WatchRecorder();
        try (Watch.Watcher a = watch("k", WatchOption.builder().withNoPut(true).withRevision(start), deletesOnly);
                Watch.Watcher b = watch("k", WatchOption.builder().withNoDelete(true).withRevision(start), putsOnly)) {
            assertThat(revisions(deletesOnly.awaitEvents(2))).containsExactly(deleted1, deleted2);
            assertThat(types(deletesOnly.events())).containsOnly(EventType.DELETE);
            List<WatchEvent> puts = putsOnly.awaitEvents(2);
            assertThat(types(puts)).containsOnly(EventType.PUT);
            assertThat(revisions(puts)).containsExactly(start, put2);
        }
    }

    /** Every event of one revision (here a txn) arrives in the same response. */
    @Test
    default void eventsOfOneTxnArriveTogether() {
        WatchRecorder recorder = new WatchRecorder();
        try (Watch.Watcher ignored = watchPrefix(WatchOption.builder().withCreateNotify(true), recorder)) {
            recorder.awaitCreated();
            long rev = await(kv().txn().Then(
                    Op.put(key("a"), bytes("1"), PutOption.DEFAULT),
                    Op.put(key("b"), bytes("2"), PutOption.DEFAULT),
                    Op.put(key("c"), bytes("3"), PutOption.DEFAULT)).commit()).getHeader().getRevision();
            recorder.awaitEvents(3);
            List<WatchResponse> responses = recorder.responses();
            assertThat(responses).hasSize(1);
            assertThat(revisions(responses.get(0).getEvents())).containsExactly(rev, rev, rev);
            assertThat(responses.get(0).getEvents().stream().map(e -> text(e.getKeyValue().getKey())).toList())
                    .containsExactly(prefix() + "a", prefix() + "b", prefix() + "c");
        }
    }

    @Test
    default void cancelEndsTheWatchOnTheServer() {
        try (RawWatchStream stream = new RawWatchStream(channel())) {
            WatchCreateRequest onKey = WatchCreateRequest.newBuilder().setKey(bs(key("k"))).build();
            long first = stream.createAndAwaitId(onKey);
            stream.cancel(first);
            var cancelled = stream.next();
            assertThat(cancelled.getCanceled()).isTrue();
            assertThat(cancelled.getWatchId()).isEqualTo(first);
            assertThat(cancelled.getEventsCount()).isZero();

            long second = stream.createAndAwaitId(onKey);
            assertThat(second).isNotEqualTo(first);
            long rev = put("k", "v");
            var event = stream.next();
            assertThat(event.getWatchId()).as("only the live watch gets the event").isEqualTo(second);
            assertThat(event.getEventsList()).extracting(e -> e.getKv().getModRevision()).containsExactly(rev);
        }
    }

    @Test
    default void closingAJetcdWatcherCompletesIt() {
        WatchRecorder recorder = new WatchRecorder();
        Watch.Watcher watcher = watch("k", WatchOption.builder().withCreateNotify(true), recorder);
        recorder.awaitCreated();
        watcher.close();
        assertThat(recorder.completed()).isTrue();
    }

    /** etcd creates the watch, then cancels it with the compact revision and no reason. */
    @Test
    default void watchFromACompactedRevisionIsCancelledWithTheCompactRevision() {
        long r1 = put("k", "v1");
        long r2 = put("k", "v2");
        await(kv().compact(r2));

        try (RawWatchStream stream = new RawWatchStream(channel())) {
            long id = stream.createAndAwaitId(WatchCreateRequest.newBuilder().setKey(bs(key("k")))
                    .setStartRevision(r1).build());
            var cancelled = stream.next();
            assertThat(cancelled.getWatchId()).isEqualTo(id);
            assertThat(cancelled.getCanceled()).isTrue();
            assertThat(cancelled.getCreated()).isFalse();
            assertThat(cancelled.getCompactRevision()).isEqualTo(r2);
            assertThat(cancelled.getEventsCount()).isZero();
        }

        WatchRecorder recorder = new WatchRecorder();
        try (Watch.Watcher ignored = watch("k", WatchOption.builder().withRevision(r1), recorder)) {
            Throwable error = recorder.awaitError();
            assertThat(error).isInstanceOf(CompactedException.class);
            assertThat(((CompactedException) error).getCompactedRevision()).isEqualTo(r2);
            assertThat(recorder.events()).isEmpty();
        }
    }

    @Test
    default void watchFromTheCompactRevisionItselfWorks() {
        put("k", "v1");
        long r2 = put("k", "v2");
        await(kv().compact(r2));
        long r3 = put("k", "v3");
        WatchRecorder recorder = new WatchRecorder();
        try (Watch.Watcher ignored = watch("k", WatchOption.builder().withRevision(r2), recorder)) {
            assertThat(revisions(recorder.awaitEvents(2))).containsExactly(r2, r3);
            assertThat(recorder.errors()).isEmpty();
        }
    }

    /**
     * A thousand pipelined puts: a live watcher and a watcher replaying history both see exactly
     * the acknowledged revisions, in order, once each.
     */
    @Test
    default void manyEventsArriveInOrderWithoutGapsOrDuplicates() throws InterruptedException {
        int count = 1000;
        WatchRecorder live = new WatchRecorder();
        try (Watch.Watcher ignored = watchPrefix(WatchOption.builder().withCreateNotify(true), live)) {
            live.awaitCreated();
            Semaphore inFlight = new Semaphore(64);
            List<CompletableFuture<PutResponse>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                CompletableFuture<PutResponse> put = kv().put(key("k" + (i % 37)), bytes("v" + i));
                put.whenComplete((r, e) -> inFlight.release());
                puts.add(put);
            }
            List<Long> acknowledged = puts.stream().map(p -> await(p).getHeader().getRevision()).sorted().toList();
            assertThat(acknowledged).doesNotHaveDuplicates();

            assertThat(revisions(live.awaitEvents(count))).isEqualTo(acknowledged);

            WatchRecorder replay = new WatchRecorder();
            try (Watch.Watcher again = watchPrefix(WatchOption.builder().withRevision(acknowledged.get(0)), replay)) {
                assertThat(revisions(replay.awaitEvents(count))).isEqualTo(acknowledged);
            }
            long fence = put("fence", "x");
            assertThat(revisions(live.awaitEvents(count + 1))).endsWith(fence).hasSize(count + 1);
        }
    }

    @Test
    default void resumingFromTheLastRevisionPlusOneLosesAndRepeatsNothing() {
        List<Long> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add(put("k", "a" + i));
        }
        WatchRecorder first = new WatchRecorder();
        Watch.Watcher watcher = watch("k", WatchOption.builder().withRevision(written.get(0)), first);
        List<WatchEvent> seen = new ArrayList<>(first.awaitEvents(5));
        watcher.close();
        for (int i = 0; i < 5; i++) {
            written.add(put("k", "b" + i));
        }
        long resumeAt = seen.get(seen.size() - 1).getKeyValue().getModRevision() + 1;
        WatchRecorder second = new WatchRecorder();
        try (Watch.Watcher ignored = watch("k", WatchOption.builder().withRevision(resumeAt), second)) {
            seen.addAll(second.awaitEvents(5));
        }
        assertThat(revisions(seen)).isEqualTo(written);
    }

    @Test
    default void progressRequestReportsTheCurrentRevision() {
        try (RawWatchStream stream = new RawWatchStream(channel())) {
            stream.createAndAwaitId(WatchCreateRequest.newBuilder().setKey(bs(key("quiet"))).build());
            long rev = put("other", "x");
            stream.requestProgress();
            var progress = stream.next();
            assertThat(progress.getEventsCount()).isZero();
            assertThat(progress.getCreated()).isFalse();
            assertThat(progress.getCanceled()).isFalse();
            assertThat(progress.getHeader().getRevision()).isEqualTo(rev);
        }
    }

    private static ByteString bs(io.etcd.jetcd.ByteSequence key) {
        return ByteString.copyFrom(key.getBytes());
    }
}
