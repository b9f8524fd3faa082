package io.keel.cli.faults;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.keel.testkit.history.WatchEvent;
import io.keel.testkit.history.WatchRange;
import io.keel.testkit.history.WatchResponseRecord;
import io.keel.testkit.history.WatchSession;
import io.keel.testkit.history.WatcherRecord;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A watcher on a key range that survives faults the way a careful etcd client does: when its
 * stream breaks (member killed, "no leader", compaction) it opens a new one on the next member
 * from the revision after the last one it saw. It also moves to another member every few
 * seconds on its own, so resuming is exercised even without faults. Uses etcd's generated stubs
 * directly (no jetcd bookkeeping), so every response is recorded exactly as the server sent it.
 */
final class ResumingWatcher implements AutoCloseable {

    private static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

    private final String name;
    private final WatchRange range;
    private final List<ManagedChannel> channels;
    private final boolean requireLeader;
    private final Random random;
    private final Duration rotateMin;
    private final Duration rotateMax;
    private final List<Session> sessions = new ArrayList<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private long coveredUpTo;
    private int member;
    private long backoffMillis;
    private Thread thread;

    /**
     * @param requireLeader send etcd's {@code hasleader} metadata: a member without a leader
     *     then ends the stream instead of keeping it silent
     */
    ResumingWatcher(String name, WatchRange range, List<String> endpoints, long startRevision, boolean requireLeader,
            long seed, Duration rotateMin, Duration rotateMax) {
        this.name = name;
        this.range = range;
        this.channels = endpoints.stream().map(e -> {
            URI uri = URI.create(e);
            return (ManagedChannel) NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
        }).toList();
        this.requireLeader = requireLeader;
        this.random = new Random(seed);
        this.rotateMin = rotateMin;
        this.rotateMax = rotateMax;
        this.coveredUpTo = startRevision - 1;
        this.member = random.nextInt(endpoints.size());
    }

    void start() {
        thread = Thread.ofPlatform().name("watcher-" + name).start(this::run);
    }

    /** The highest revision up to which this watcher has seen everything (its last event or progress). */
    synchronized long coveredUpTo() {
        return coveredUpTo;
    }

    synchronized int sessionCount() {
        return sessions.size();
    }

    /** What the watcher received, session by session. */
    synchronized WatcherRecord record() {
        return new WatcherRecord(name, range, sessions.stream().map(Session::toRecord).toList());
    }

    /** How many sessions there were and why they ended. */
    synchronized String summary() {
        java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
        for (Session s : sessions) {
            String reason = s.endReason.isEmpty() ? "open at the end" : s.endReason.replaceAll("[0-9]+", "N");
            reasons.merge(reason.length() > 80 ? reason.substring(0, 80) : reason, 1, Integer::sum);
        }
        return name + ": " + sessions.size() + " sessions, covered up to revision " + coveredUpTo + ", ended by "
                + reasons;
    }

    void stop() {
        stopRequested.countDown();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
        channels.forEach(ManagedChannel::shutdownNow);
    }

    private void run() {
        while (stopRequested.getCount() > 0) {
            Session session;
            synchronized (this) {
                session = new Session(coveredUpTo + 1, "n" + (member + 1));
                sessions.add(session);
            }
            ManagedChannel channel = channels.get(member);
            member = (member + 1) % channels.size();
            WatchGrpc.WatchStub stub = WatchGrpc.newStub(channel);
            if (requireLeader) {
                Metadata headers = new Metadata();
                headers.put(HAS_LEADER, "true");
                stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            ClientCallStreamObserver<WatchRequest> requests =
                    (ClientCallStreamObserver<WatchRequest>) stub.watch(session.observer());
            WatchCreateRequest.Builder create = WatchCreateRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(range.key()))
                    .setStartRevision(session.start);
            if (range.rangeEnd() != null) {
                create.setRangeEnd(ByteString.copyFrom(range.rangeEnd(), StandardCharsets.ISO_8859_1));
            }
            requests.onNext(WatchRequest.newBuilder().setCreateRequest(create).build());
            long rotateAfter = rotateMin.toMillis()
                    + (long) (random.nextDouble() * (rotateMax.toMillis() - rotateMin.toMillis()));
            try {
                session.awaitEndOrStop(stopRequested, rotateAfter);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            session.close();
            requests.cancel("watcher " + name + " moves on", null);
            if (session.failedEmpty()) {
                backoffMillis = Math.min(Math.max(2 * backoffMillis, 50), 1000);
                try {
                    // a reconnect back-off that ends early when the watcher is stopped
                    if (stopRequested.await(backoffMillis, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } else {
                backoffMillis = 0;
            }
        }
    }

    /** One watch stream; responses after {@link #close()} are ignored so the next session starts cleanly. */
    private final class Session {
        final long start;
        final String member;
        final List<WatchResponseRecord> responses = new ArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);
        String endReason = "";
        boolean closed;

        Session(long start, String member) {
            this.start = start;
            this.member = member;
        }

        StreamObserver<WatchResponse> observer() {
            return new StreamObserver<>() {
                @Override
                public void onNext(WatchResponse response) {
                    received(response);
                }

                @Override
                public void onError(Throwable t) {
                    end("error " + t.getMessage());
                }

                @Override
                public void onCompleted() {
                    end("completed by the server");
                }
            };
        }

        void received(WatchResponse response) {
            synchronized (ResumingWatcher.this) {
                if (closed) {
                    return;
                }
                if (response.getCompactRevision() > 0) {
                    responses.add(WatchResponseRecord.compacted(response.getHeader().getRevision(),
                            response.getCompactRevision()));
                    coveredUpTo = Math.max(coveredUpTo, response.getCompactRevision() - 1);
                    end("compacted at " + response.getCompactRevision());
                    return;
                }
                if (response.getCanceled()) {
                    end("canceled: " + response.getCancelReason());
                    return;
                }
                if (response.getCreated()) {
                    return;
                }
                List<WatchEvent> events = new ArrayList<>();
                for (Event e : response.getEventsList()) {
                    String key = e.getKv().getKey().toStringUtf8();
                    long revision = e.getKv().getModRevision();
                    events.add(e.getType() == Event.EventType.DELETE ? WatchEvent.delete(revision, key)
                            : WatchEvent.put(revision, key, e.getKv().getValue().toStringUtf8()));
                    coveredUpTo = Math.max(coveredUpTo, revision);
                }
                boolean progress = events.isEmpty();
                if (progress) {
                    coveredUpTo = Math.max(coveredUpTo, response.getHeader().getRevision());
                }
                responses.add(new WatchResponseRecord(response.getHeader().getRevision(), events, progress, 0));
            }
        }

        void end(String reason) {
            synchronized (ResumingWatcher.this) {
                if (endReason.isEmpty()) {
                    endReason = reason;
                }
            }
            ended.countDown();
        }

        void awaitEndOrStop(CountDownLatch stop, long maxMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
            while (ended.getCount() > 0 && stop.getCount() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    end("rotated to the next member");
                    return;
                }
                ended.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            }
        }

        void close() {
            synchronized (ResumingWatcher.this) {
                closed = true;
            }
        }

        /** The stream broke (not rotated, not stopped) before anything arrived. */
        boolean failedEmpty() {
            synchronized (ResumingWatcher.this) {
                return responses.isEmpty() && (endReason.startsWith("error") || endReason.startsWith("completed")
                        || endReason.startsWith("canceled"));
            }
        }

        WatchSession toRecord() {
            return new WatchSession(start, responses);
        }
    }
}
