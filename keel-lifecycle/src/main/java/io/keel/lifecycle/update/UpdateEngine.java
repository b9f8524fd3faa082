package io.keel.lifecycle.update;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * update_engine's state machine. A check runs on the given single-threaded executor, on a
 * schedule ({@link #start}) or on demand ({@link #check}):
 * {@code IDLE -> CHECKING_FOR_UPDATE -> UPDATE_AVAILABLE -> DOWNLOADING -> VERIFYING -> FINALIZING
 * -> UPDATED_NEED_REBOOT}. The manifest's signature is checked before anything else is believed;
 * the payload is downloaded into the passive slot's staging directory and checked against the
 * manifest's size and SHA-256 before {@link Slots#installToPassive} touches the slot table. Any
 * refusal or failure goes to {@code REPORTING_ERROR_EVENT} with a one-line reason and back to
 * {@code IDLE}; the active slot is never written. Once {@code UPDATED_NEED_REBOOT}, checks do
 * nothing until the machine restarts. Listeners see every state change, on the executor thread.
 */
public final class UpdateEngine implements AutoCloseable {

    /**
     * @param channel the channel to follow
     * @param allowDowngrade apply a release older than the running one
     * @param allowSameVersion reinstall the running version
     */
    public record Config(Channel channel, boolean allowDowngrade, boolean allowSameVersion) {
        public Config {
            Objects.requireNonNull(channel, "channel");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(UpdateEngine.class);

    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final ReleaseSource source;
    private final ReleaseVerifier verifier;
    private final Slots slots;
    private final Version current;
    private final Config config;
    private final List<Consumer<UpdateStatus>> listeners = new CopyOnWriteArrayList<>();
    private volatile UpdateStatus status;
    private ScheduledFuture<?> schedule;

    public UpdateEngine(Clock clock, ScheduledExecutorService executor, ReleaseSource source, ReleaseVerifier verifier,
            Slots slots, Version current, Config config) {
        this.clock = clock;
        this.executor = executor;
        this.source = source;
        this.verifier = verifier;
        this.slots = slots;
        this.current = current;
        this.config = config;
        Rollback rollback = slots.read().rollback();
        this.status = new UpdateStatus(UpdateState.IDLE, config.channel(), current.text(), null, -1, null, null,
                rollback == null ? null : rollback.describe());
    }

    public void addListener(Consumer<UpdateStatus> listener) {
        listeners.add(listener);
    }

    public UpdateStatus status() {
        return status;
    }

    /** Checks after {@code initialDelay} and then {@code interval} after each check ends. */
    public synchronized void start(Duration initialDelay, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new UpdateException("update check interval must be positive, got " + interval);
        }
        if (schedule != null) {
            throw new IllegalStateException("update engine already started");
        }
        schedule = executor.scheduleWithFixedDelay(this::runCheck, initialDelay.toNanos(), interval.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Runs one check on the executor; completes with the status it ended in. */
    public CompletableFuture<UpdateStatus> check() {
        CompletableFuture<UpdateStatus> done = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                runCheck();
                done.complete(status);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    private void runCheck() {
        if (status.state() == UpdateState.UPDATED_NEED_REBOOT) {
            return;
        }
        UpdateStatus s = status;
        set(new UpdateStatus(UpdateState.CHECKING_FOR_UPDATE, config.channel(), current.text(), null, -1, null,
                clock.instant(), s.rollback()));
        Path staging = null;
        try {
            Manifest m = source.latest(config.channel());
            verifier.verifyManifest(m);
            if (m.channel() != config.channel()) {
                throw new UpdateException("manifest is for channel " + m.channel() + " but this machine follows "
                        + config.channel());
            }
            int cmp = m.version().compareTo(current);
            if (cmp == 0 && !config.allowSameVersion()) {
                set(status.with(UpdateState.IDLE));
                return;
            }
            if (cmp < 0 && !config.allowDowngrade()) {
                throw new UpdateException("refusing downgrade from " + current + " to " + m.version() + " on channel "
                        + config.channel() + ": downgrades were not allowed");
            }
            s = status;
            set(new UpdateStatus(UpdateState.UPDATE_AVAILABLE, s.channel(), s.currentVersion(), m.version().text(),
                    m.size(), null, s.lastCheck(), s.rollback()));
            set(status.with(UpdateState.DOWNLOADING));
            staging = slots.prepareStaging();
            Path payload = staging.resolve(m.payload());
            source.download(config.channel(), m, payload);
            set(status.with(UpdateState.VERIFYING));
            ReleaseVerifier.verifyPayload(m, payload);
            set(status.with(UpdateState.FINALIZING));
            SlotName slot = slots.installToPassive(m, payload);
            LOG.info("installed {} into slot {}; reboot to use it", m.version(), slot);
            set(status.with(UpdateState.UPDATED_NEED_REBOOT));
        } catch (Exception e) {
            if (staging != null) {
                try {
                    Slots.deleteRecursively(staging);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            String reason = oneLine(e);
            LOG.warn("update check failed: {}", reason);
            s = status;
            set(new UpdateStatus(UpdateState.REPORTING_ERROR_EVENT, s.channel(), s.currentVersion(), s.newVersion(),
                    s.newSize(), reason, s.lastCheck(), s.rollback()));
            set(status.with(UpdateState.IDLE));
        }
    }

    private void set(UpdateStatus next) {
        status = next;
        for (Consumer<UpdateStatus> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("update status listener failed: {}", oneLine(e));
            }
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
