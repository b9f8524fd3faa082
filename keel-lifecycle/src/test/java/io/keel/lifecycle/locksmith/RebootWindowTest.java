package io.keel.lifecycle.locksmith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RebootWindowTest {

    private static final ZoneId UTC = ZoneOffset.UTC;

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void parsesLocksmithsFormat() {
        RebootWindow w = RebootWindow.parse("Thu 04:00", "1h30m");
        assertThat(w.day()).contains(DayOfWeek.THURSDAY);
        assertThat(w.start()).isEqualTo(LocalTime.of(4, 0));
        assertThat(w.length()).isEqualTo(Duration.ofMinutes(90));
        assertThat(RebootWindow.parse("04:00", "45m").day()).isEmpty();
        assertThat(RebootWindow.parse("thursday 4:05", "1.5h").length()).isEqualTo(Duration.ofMinutes(90));
        assertThat(RebootWindow.goDuration("2h0m30s")).isEqualTo(Duration.ofSeconds(7230));
    }

    @Test
    void badWindowsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> RebootWindow.parse("Thx 04:00", "1h")).hasMessageContaining("names no day");
        assertThatThrownBy(() -> RebootWindow.parse("25:00", "1h")).hasMessageContaining("no valid time");
        assertThatThrownBy(() -> RebootWindow.parse("04:00", "1 hour")).hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> RebootWindow.parse("04:00", "0s")).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> RebootWindow.parse("04:00", "25h")).hasMessageContaining("longer than its period");
        assertThatThrownBy(() -> RebootWindow.parse("", "1h")).hasMessageContaining("start is missing");
        assertThatThrownBy(() -> RebootWindow.parse("4am", "1h")).hasMessageContaining("is not '[Day ]HH:MM'");
    }

    @Test
    void weeklyWindowOpensAndClosesOnTime() {
        RebootWindow w = RebootWindow.parse("Thu 04:00", "1h30m");
        // 2024-11-28 is a Thursday
        assertThat(w.contains(at("2024-11-28T03:59:59Z"), UTC)).isFalse();
        assertThat(w.contains(at("2024-11-28T04:00:00Z"), UTC)).isTrue();
        assertThat(w.contains(at("2024-11-28T05:29:59Z"), UTC)).isTrue();
        assertThat(w.contains(at("2024-11-28T05:30:00Z"), UTC)).isFalse();
        assertThat(w.nextOpening(at("2024-11-28T05:30:00Z"), UTC)).isEqualTo(at("2024-12-05T04:00:00Z"));
        assertThat(w.nextOpening(at("2024-11-26T10:00:00Z"), UTC)).isEqualTo(at("2024-11-28T04:00:00Z"));
        assertThat(w.nextOpening(at("2024-11-28T04:10:00Z"), UTC)).isEqualTo(at("2024-11-28T04:10:00Z"));
    }

    @Test
    void windowsWrapOverMidnightAndTheEndOfTheWeek() {
        RebootWindow sunday = RebootWindow.parse("Sun 23:00", "2h");
        // 2024-12-01 is a Sunday; the window runs into Monday
        assertThat(sunday.contains(at("2024-12-02T00:30:00Z"), UTC)).isTrue();
        assertThat(sunday.contains(at("2024-12-02T01:00:00Z"), UTC)).isFalse();
        assertThat(sunday.nextOpening(at("2024-12-02T01:00:00Z"), UTC)).isEqualTo(at("2024-12-08T23:00:00Z"));
        RebootWindow daily = RebootWindow.parse("23:30", "1h");
        assertThat(daily.contains(at("2024-12-03T00:15:00Z"), UTC)).isTrue();
        assertThat(daily.nextOpening(at("2024-12-03T00:30:00Z"), UTC)).isEqualTo(at("2024-12-03T23:30:00Z"));
    }

    @Test
    void startIsWallClockTimeInTheGivenZone() {
        RebootWindow w = RebootWindow.parse("04:00", "1h");
        ZoneId plus2 = ZoneOffset.ofHours(2);
        assertThat(w.contains(at("2024-11-28T02:30:00Z"), plus2)).isTrue();
        assertThat(w.contains(at("2024-11-28T04:30:00Z"), plus2)).isFalse();
    }
}
