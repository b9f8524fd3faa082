package io.keel.lifecycle.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotsTest {

    @TempDir
    Path data;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));

    private Manifest stage(Slots slots, String version, String name, byte[] content) throws Exception {
        Path staging = slots.prepareStaging();
        Path payload = staging.resolve(name);
        Files.write(payload, content);
        return Manifest.describe(payload, Version.parse(version), Channel.STABLE);
    }

    static byte[] zip(String... namesAndContents) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                z.putNextEntry(new ZipEntry(namesAndContents[i]));
                z.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void freshMachineBootsSlotAWithoutAStateFileAndPersistsIt() {
        Slots slots = new Slots(data, clock);
        assertThat(slots.read()).isEqualTo(SlotTable.fresh());
        assertThat(slots.boot().slot()).isEqualTo(SlotName.A);
        assertThat(data.resolve("slots/slots.json")).exists();
        assertThat(new Slots(data, clock).read()).isEqualTo(SlotTable.fresh());
    }

    @Test
    void installGoesToThePassiveSlotAndBootsNextThenSticksOnceSuccessful() throws Exception {
        Slots slots = new Slots(data, clock);
        slots.boot();
        Manifest m = stage(slots, "1.1.0", "keel-1.1.0.zip", zip("lib/keel.jar", "jar", "bin/keel", "#!"));
        Path payload = slots.dir(SlotName.B).resolve("staging/keel-1.1.0.zip");

        assertThat(slots.installToPassive(m, payload)).isEqualTo(SlotName.B);

        Path b = data.resolve("slots/B");
        assertThat(b.resolve("dist/lib/keel.jar")).hasContent("jar");
        assertThat(b.resolve("keel-1.1.0.zip")).exists();
        assertThat(Manifest.read(b.resolve("manifest.json"))).isEqualTo(m);
        assertThat(b.resolve("staging")).doesNotExist();
        SlotTable t = slots.read();
        assertThat(t.b()).isEqualTo(new SlotState("1.1.0", 2, 3, false));
        assertThat(t.active()).isEqualTo(SlotName.A);

        assertThat(slots.boot().slot()).isEqualTo(SlotName.B);
        slots.markSuccessful();
        assertThat(slots.read().b()).isEqualTo(new SlotState("1.1.0", 2, 0, true));
        for (int i = 0; i < 5; i++) {
            assertThat(slots.boot().slot()).isEqualTo(SlotName.B);
        }
        assertThat(slots.read().passive()).isEqualTo(SlotName.A);
    }

    @Test
    void crashingNewSlotRollsBackAfterItsTriesAndTheRollbackIsRecorded() throws Exception {
        Slots slots = new Slots(data, clock);
        slots.boot();
        Manifest m = stage(slots, "1.1.0", "keel.jar", new byte[] {1, 2, 3});
        slots.installToPassive(m, slots.dir(SlotName.B).resolve("staging/keel.jar"));
        for (int i = 0; i < Slots.NEW_SLOT_TRIES; i++) {
            assertThat(slots.boot().slot()).isEqualTo(SlotName.B);
        }
        clock.advance(java.time.Duration.ofMinutes(5));
        SlotSelector.Selection sel = slots.boot();
        assertThat(sel.slot()).isEqualTo(SlotName.A);
        assertThat(sel.rolledBack()).isTrue();
        assertThat(new Slots(data, clock).read().rollback())
                .isEqualTo(new Rollback(SlotName.B, "1.1.0", SlotName.A, null, Instant.parse("2026-03-01T00:05:00Z")));
    }

    @Test
    void failedHealthCheckRollsBackOnTheNextStart() throws Exception {
        Slots slots = new Slots(data, clock);
        slots.boot();
        slots.installToPassive(stage(slots, "2.0", "p", new byte[] {9}), slots.dir(SlotName.B).resolve("staging/p"));
        assertThat(slots.boot().slot()).isEqualTo(SlotName.B);
        slots.markFailed();
        SlotSelector.Selection sel = slots.boot();
        assertThat(sel.slot()).isEqualTo(SlotName.A);
        assertThat(sel.rolledBack()).isTrue();
    }

    @Test
    void secondUpdateGoesBackToSlotAWithHigherPriority() throws Exception {
        Slots slots = new Slots(data, clock);
        slots.boot();
        slots.installToPassive(stage(slots, "2.0", "p", new byte[] {1}), slots.dir(SlotName.B).resolve("staging/p"));
        slots.boot();
        slots.markSuccessful();
        assertThat(slots.installToPassive(stage(slots, "3.0", "q", new byte[] {2}),
                slots.dir(SlotName.A).resolve("staging/q"))).isEqualTo(SlotName.A);
        assertThat(slots.read().a()).isEqualTo(new SlotState("3.0", 3, 3, false));
        assertThat(slots.boot().slot()).isEqualTo(SlotName.A);
    }

    @Test
    void priorityCeilingLowersTheActiveSlot() throws Exception {
        Slots slots = new Slots(data, clock);
        Json.writeAtomically(data.resolve("slots/slots.json"), new SlotTable(new SlotState("1", 15, 0, true),
                SlotState.empty(), SlotName.A, null).toJson());
        slots.installToPassive(stage(slots, "2.0", "p", new byte[] {1}), slots.dir(SlotName.B).resolve("staging/p"));
        assertThat(slots.read().a().priority()).isEqualTo(14);
        assertThat(slots.read().b().priority()).isEqualTo(15);
    }

    @Test
    void zipWithEntriesOutsideTheSlotIsRefusedAndTheSlotStaysUnbootable() throws Exception {
        Slots slots = new Slots(data, clock);
        Manifest m = stage(slots, "2.0", "evil.zip", zip("../../escape", "x"));
        assertThatThrownBy(() -> slots.installToPassive(m, slots.dir(SlotName.B).resolve("staging/evil.zip")))
                .hasMessageContaining("has an entry outside the slot: ../../escape");
        assertThat(data.resolve("escape")).doesNotExist();
        assertThat(slots.read().b().bootable()).isFalse();
        assertThat(slots.boot().slot()).isEqualTo(SlotName.A);
    }

    @Test
    void corruptStateFileIsNamed() throws Exception {
        Files.createDirectories(data.resolve("slots"));
        Files.writeString(data.resolve("slots/slots.json"), "{\"active\":\"C\",\"slots\":{\"A\":{\"priority\":1,"
                + "\"tries\":0,\"successful\":true},\"B\":{\"priority\":0,\"tries\":0,\"successful\":false}}}");
        assertThatThrownBy(() -> new Slots(data, clock).boot())
                .hasMessageEndingWith("slots.json: unknown slot \"C\": expected A or B");
        Files.writeString(data.resolve("slots/slots.json"), "{\"active\":\"A\",\"slots\":{\"A\":{\"priority\":99,"
                + "\"tries\":0,\"successful\":true},\"B\":{\"priority\":0,\"tries\":0,\"successful\":false}}}");
        assertThatThrownBy(() -> new Slots(data, clock).boot())
                .hasMessageEndingWith("slots.json: slot priority 99 is outside 0-15");
    }
}
