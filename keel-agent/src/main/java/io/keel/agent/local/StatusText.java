package io.keel.agent.local;

import io.keel.agent.supervise.UnitStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Formats a unit's status as {@code systemctl status} does, followed by its last journal lines. */
public final class StatusText {

    private static final DateTimeFormatter SINCE =
            DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private StatusText() {}

    public static String of(LocalUnit unit, String machine, Optional<String> health, List<String> journal,
            Clock clock) {
        StringBuilder out = new StringBuilder();
        out.append(bullet(unit.activeState())).append(' ').append(unit.name());
        if (!unit.description().isEmpty()) {
            out.append(" - ").append(unit.description());
        }
        out.append('\n');
        out.append("     Loaded: ").append(unit.loadState()).append(" (/keel/units/").append(unit.name())
                .append(unit.isContainer() ? "; container" : "").append(")\n");
        Optional<UnitStatus> status = unit.status();
        out.append("     Active: ").append(unit.activeState()).append(" (").append(unit.subState()).append(')');
        status.ifPresent(s -> {
            if (s.result() != null && !"success".equals(s.result())) {
                out.append(" (Result: ").append(s.result()).append(')');
            }
            if (s.since() != null) {
                out.append(" since ").append(SINCE.format(s.since())).append("; ")
                        .append(ago(Duration.between(s.since(), Instant.now(clock)))).append(" ago");
            }
        });
        out.append('\n');
        status.flatMap(UnitStatus::mainId).ifPresent(id -> {
            out.append(unit.isContainer() ? "  Container: " : "   Main PID: ").append(id);
            health.ifPresent(h -> out.append(" (").append(h).append(')'));
            out.append('\n');
        });
        unit.rootfs().ifPresent(r -> out.append("    Root FS: ").append(r).append('\n'));
        status.flatMap(UnitStatus::lastExit).ifPresent(exit ->
                out.append("  Last exit: ").append(exit.describe()).append('\n'));
        status.map(UnitStatus::message).filter(m -> m != null && !m.isEmpty())
                .ifPresent(m -> out.append("     Reason: ").append(m).append('\n'));
        unit.invalidReason().ifPresent(r -> out.append("     Reason: ").append(r).append('\n'));
        out.append("    Machine: ").append(machine).append('\n');
        if (!journal.isEmpty()) {
            out.append('\n');
            journal.forEach(line -> out.append(line).append('\n'));
        }
        return out.toString();
    }

    private static String bullet(String activeState) {
        return switch (activeState) {
            case "failed" -> "×";
            case "active", "reloading", "activating", "deactivating" -> "●";
            default -> "○";
        };
    }

    static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "min " + s % 60 + "s";
        }
        return s / 3600 + "h " + s % 3600 / 60 + "min";
    }
}
