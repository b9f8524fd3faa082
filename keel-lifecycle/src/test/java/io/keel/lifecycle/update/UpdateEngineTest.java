package io.keel.lifecycle.update;

import static io.keel.lifecycle.update.UpdateState.CHECKING_FOR_UPDATE;
import static io.keel.lifecycle.update.UpdateState.DOWNLOADING;
import static io.keel.lifecycle.update.UpdateState.FINALIZING;
import static io.keel.lifecycle.update.UpdateState.IDLE;
import static io.keel.lifecycle.update.UpdateState.REPORTING_ERROR_EVENT;
import static io.keel.lifecycle.update.UpdateState.UPDATED_NEED_REBOOT;
import static io.keel.lifecycle.update.UpdateState.UPDATE_AVAILABLE;
import static io.keel.lifecycle.update.UpdateState.VERIFYING;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.testkit.ManualClock;
import io.keel.testkit.ManualScheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateEngineTest {

    private static final List<UpdateState> FULL_UPDATE =
            List.of(CHECKING_FOR_UPDATE, UPDATE_AVAILABLE, DOWNLOADING, VERIFYING, FINALIZING, UPDATED_NEED_REBOOT);
    private static final List<UpdateState> REFUSED_BEFORE_DOWNLOAD =
            List.of(CHECKING_FOR_UPDATE, REPORTING_ERROR_EVENT, IDLE);
    private static final List<UpdateState> REFUSED_AFTER_DOWNLOAD =
            List.of(CHECKING_FOR_UPDATE, UPDATE_AVAILABLE, DOWNLOADING, VERIFYING, REPORTING_ERROR_EVENT, IDLE);

    @TempDir
    Path data;

    private final KeyPair keys = ReleaseKeys.generate();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T12:00:00Z"));
    private final ManualScheduler executor = new ManualScheduler(clock);
    private final FakeReleaseSource source = new FakeReleaseSource();
    private final List<UpdateStatus> seen = new ArrayList<>();
    private Slots slots;
    private SlotTable before;

    @BeforeEach
    void installedMachine() throws IOException {
        slots = new Slots(data, clock);
        slots.boot();
        Files.createDirectories(slots.dir(SlotName.A));
        Files.writeString(slots.dir(SlotName.A).resolve("keel.jar"), "running release");
        before = slots.read();
    }

    private void publish(String version, Channel channel, String content) {
        source.payload = content.getBytes(StandardCharsets.UTF_8);
        source.manifest = new ReleaseSigner(keys.getPrivate()).sign(new Manifest(Version.parse(version), channel,
                sha256(source.payload), source.payload.length, "keel-" + version + ".zip", null));
    }

    private UpdateEngine engine(String current, boolean allowDowngrade, boolean allowSame) {
        UpdateEngine e = new UpdateEngine(clock, executor, source, new ReleaseVerifier(keys.getPublic()), slots,
                Version.parse(current), new UpdateEngine.Config(Channel.STABLE, allowDowngrade, allowSame));
        e.addListener(seen::add);
        return e;
    }

    private UpdateStatus checkNow(UpdateEngine e) {
        CompletableFuture<UpdateStatus> f = e.check();
        assertThat(f).isNotDone();
        executor.runDue();
        assertThat(f).isDone();
        return f.join();
    }

    private List<UpdateState> states() {
        return seen.stream().map(UpdateStatus::state).toList();
    }

    private void assertActiveSlotUntouched() throws IOException {
        assertThat(slots.read()).isEqualTo(before);
        assertThat(slots.dir(SlotName.A).resolve("keel.jar")).hasContent("running release");
        try (Stream<Path> files = Files.list(slots.dir(SlotName.A))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("keel.jar");
        }
        Path b = slots.dir(SlotName.B);
        if (Files.exists(b)) {
            try (Stream<Path> files = Files.list(b)) {
                assertThat(files).as("nothing left in the passive slot").isEmpty();
            }
        }
    }

    @Test
    void newerReleaseGoesThroughEveryStateIntoThePassiveSlot() throws IOException {
        publish("1.3.0", Channel.STABLE, "new keel");
        UpdateEngine e = engine("1.2.0", false, false);
        assertThat(e.status().state()).isEqualTo(IDLE);

        UpdateStatus s = checkNow(e);

        assertThat(states()).isEqualTo(FULL_UPDATE);
        assertThat(s).isEqualTo(new UpdateStatus(UPDATED_NEED_REBOOT, Channel.STABLE, "1.2.0", "1.3.0", 8, null,
                clock.instant(), null));
        assertThat(slots.read().b()).isEqualTo(new SlotState("1.3.0", 2, Slots.NEW_SLOT_TRIES, false));
        assertThat(slots.dir(SlotName.B).resolve("keel-1.3.0.zip")).hasContent("new keel");
        assertThat(slots.dir(SlotName.A).resolve("keel.jar")).hasContent("running release");
        assertThat(slots.read().a()).isEqualTo(before.a());
    }

    @Test
    void afterAnUpdateFurtherChecksDoNothingUntilReboot() {
        publish("1.3.0", Channel.STABLE, "new keel");
        UpdateEngine e = engine("1.2.0", false, false);
        checkNow(e);
        seen.clear();
        publish("1.4.0", Channel.STABLE, "newer");
        assertThat(checkNow(e).state()).isEqualTo(UPDATED_NEED_REBOOT);
        assertThat(seen).isEmpty();
        assertThat(source.downloads).isEqualTo(1);
    }

    @Test
    void sameVersionIsNoUpdateAndNoError() throws IOException {
        publish("1.2.0", Channel.STABLE, "same");
        UpdateStatus s = checkNow(engine("1.2.0", false, false));
        assertThat(states()).containsExactly(CHECKING_FOR_UPDATE, IDLE);
        assertThat(s.lastError()).isNull();
        assertThat(s.lastCheck()).isEqualTo(clock.instant());
        assertThat(source.downloads).isZero();
        assertActiveSlotUntouched();
    }

    @Test
    void sameVersionIsReinstalledWhenAllowed() {
        publish("1.2.0", Channel.STABLE, "same");
        checkNow(engine("1.2.0", false, true));
        assertThat(states()).isEqualTo(FULL_UPDATE);
    }

    @Test
    void downgradeIsRefusedUnlessAllowed() throws IOException {
        publish("1.1.9", Channel.STABLE, "old keel");
        UpdateStatus s = checkNow(engine("1.2.0", false, false));
        assertThat(states()).isEqualTo(REFUSED_BEFORE_DOWNLOAD);
        assertThat(seen.get(1).lastError()).isEqualTo(
                "refusing downgrade from 1.2.0 to 1.1.9 on channel stable: downgrades were not allowed");
        assertThat(s.state()).isEqualTo(IDLE);
        assertThat(s.lastError()).isEqualTo(seen.get(1).lastError());
        assertThat(source.downloads).isZero();
        assertActiveSlotUntouched();

        seen.clear();
        checkNow(engine("1.2.0", true, false));
        assertThat(states()).isEqualTo(FULL_UPDATE);
    }

    @Test
    void tamperedManifestIsRefused() throws IOException {
        publish("1.3.0", Channel.STABLE, "new keel");
        Manifest m = source.manifest;
        source.manifest = new Manifest(Version.parse("1.4.0"), m.channel(), m.sha256(), m.size(), m.payload(),
                m.signature());
        UpdateStatus s = checkNow(engine("1.2.0", false, false));
        assertThat(states()).isEqualTo(REFUSED_BEFORE_DOWNLOAD);
        assertThat(s.lastError()).isEqualTo("manifest for 1.4.0 (stable) has a bad signature: not signed by the"
                + " configured release key, or altered after signing");
        assertActiveSlotUntouched();
    }

    @Test
    void manifestSignedByAnotherKeyIsRefused() throws IOException {
        publish("1.3.0", Channel.STABLE, "new keel");
        source.manifest = new ReleaseSigner(ReleaseKeys.generate().getPrivate()).sign(source.manifest);
        assertThat(checkNow(engine("1.2.0", false, false)).lastError()).contains("bad signature");
        assertActiveSlotUntouched();
    }

    @Test
    void tamperedPayloadIsRefusedAfterDownloadAndDiscarded() throws IOException {
        publish("1.3.0", Channel.STABLE, "new keel");
        source.payload = "NEW keel".getBytes(StandardCharsets.UTF_8);
        UpdateStatus s = checkNow(engine("1.2.0", false, false));
        assertThat(states()).isEqualTo(REFUSED_AFTER_DOWNLOAD);
        assertThat(s.lastError()).startsWith("payload keel-1.3.0.zip has sha256 ");
        assertThat(s.newVersion()).isEqualTo("1.3.0");
        assertActiveSlotUntouched();
    }

    @Test
    void payloadOfTheWrongSizeIsRefused() throws IOException {
        publish("1.3.0", Channel.STABLE, "new keel");
        source.payload = "new keel plus".getBytes(StandardCharsets.UTF_8);
        assertThat(checkNow(engine("1.2.0", false, false)).lastError())
                .isEqualTo("payload keel-1.3.0.zip is 13 bytes, manifest says 8");
        assertActiveSlotUntouched();
    }

    @Test
    void releaseForAnotherChannelIsRefused() throws IOException {
        publish("1.3.0", Channel.ALPHA, "alpha keel");
        assertThat(checkNow(engine("1.2.0", false, false)).lastError())
                .isEqualTo("manifest is for channel alpha but this machine follows stable");
        assertActiveSlotUntouched();
    }

    @Test
    void unreachableSourceIsReportedAndTheNextCheckStartsClean() throws IOException {
        source.failure = new IOException("cannot fetch http://127.0.0.1:1/stable/manifest.json: Connection refused");
        UpdateEngine e = engine("1.2.0", false, false);
        assertThat(checkNow(e).lastError()).isEqualTo(
                "cannot fetch http://127.0.0.1:1/stable/manifest.json: Connection refused");
        assertThat(states()).isEqualTo(REFUSED_BEFORE_DOWNLOAD);
        assertActiveSlotUntouched();

        source.failure = null;
        publish("1.3.0", Channel.STABLE, "new keel");
        seen.clear();
        UpdateStatus s = checkNow(e);
        assertThat(s.lastError()).isNull();
        assertThat(states()).isEqualTo(FULL_UPDATE);
    }

    @Test
    void checksRunOnTheScheduleUntilClosed() {
        publish("1.2.0", Channel.STABLE, "same");
        UpdateEngine e = engine("1.2.0", false, false);
        e.start(Duration.ofMinutes(1), Duration.ofHours(1));
        executor.advance(Duration.ofSeconds(59));
        assertThat(seen).isEmpty();
        executor.advance(Duration.ofSeconds(1));
        assertThat(e.status().lastCheck()).isEqualTo(Instant.parse("2026-05-01T12:01:00Z"));
        executor.advance(Duration.ofHours(2));
        assertThat(e.status().lastCheck()).isEqualTo(Instant.parse("2026-05-01T14:01:00Z"));
        assertThat(states()).containsExactly(CHECKING_FOR_UPDATE, IDLE, CHECKING_FOR_UPDATE, IDLE,
                CHECKING_FOR_UPDATE, IDLE);

        e.close();
        executor.advance(Duration.ofHours(5));
        assertThat(seen).hasSize(6);
        assertThat(executor.pending()).isZero();
    }

    @Test
    void scheduledCheckPicksUpANewRelease() {
        publish("1.2.0", Channel.STABLE, "same");
        UpdateEngine e = engine("1.2.0", false, false);
        e.start(Duration.ZERO, Duration.ofMinutes(10));
        executor.runDue();
        publish("1.3.0", Channel.STABLE, "new keel");
        executor.advance(Duration.ofMinutes(10));
        assertThat(e.status().state()).isEqualTo(UPDATED_NEED_REBOOT);
    }

    @Test
    void failingListenerDoesNotStopTheEngine() {
        publish("1.3.0", Channel.STABLE, "new keel");
        UpdateEngine e = engine("1.2.0", false, false);
        e.addListener(s -> {
            throw new IllegalStateException("disk full");
        });
        assertThat(checkNow(e).state()).isEqualTo(UPDATED_NEED_REBOOT);
    }

    @Test
    void statusFileFollowsTheEngine() {
        publish("1.3.0", Channel.STABLE, "new keel");
        UpdateEngine e = engine("1.2.0", false, false);
        e.addListener(s -> s.write(data));
        checkNow(e);
        assertThat(UpdateStatus.read(data)).isEqualTo(e.status());
    }

    @Test
    void rollbackOfThePreviousBootIsReported() throws IOException {
        slots.installToPassive(stageRelease("1.3.0"), slots.dir(SlotName.B).resolve("staging/p"));
        for (int i = 0; i <= Slots.NEW_SLOT_TRIES; i++) {
            slots.boot();
        }
        UpdateEngine e = engine("1.2.0", false, false);
        assertThat(e.status().rollback()).startsWith("rolled back from slot B (1.3.0) to slot A (base)");
    }

    private Manifest stageRelease(String version) throws IOException {
        Path p = slots.prepareStaging().resolve("p");
        Files.writeString(p, version);
        return Manifest.describe(p, Version.parse(version), Channel.STABLE);
    }

    private static String sha256(byte[] b) {
        return java.util.HexFormat.of().formatHex(Manifest.newDigest().digest(b));
    }
}
