package io.keel.lifecycle.locksmith;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reboot window in locksmith's format: a start ({@code "Thu 04:00"} weekly, {@code "04:00"}
 * daily) and a length as a Go duration ({@code "1h30m"}). Start times are wall-clock times in the
 * zone given to {@link #contains} and {@link #nextOpening}.
 */
public record RebootWindow(Optional<DayOfWeek> day, LocalTime start, Duration length) {

    private static final Pattern START = Pattern.compile("(?:([A-Za-z]+)\\s+)?(\\d{1,2}):(\\d{2})");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|h|m|s)");

    public RebootWindow {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("reboot window length must be positive, not " + length);
        }
        Duration period = day.isPresent() ? Duration.ofDays(7) : Duration.ofDays(1);
        if (length.compareTo(period) > 0) {
            throw new IllegalArgumentException("reboot window length " + length + " is longer than its period ("
                    + (day.isPresent() ? "a week" : "a day") + ")");
        }
    }

    /** Parses locksmith's {@code REBOOT_WINDOW_START} and {@code REBOOT_WINDOW_LENGTH}. */
    public static RebootWindow parse(String start, String length) {
        if (start == null || start.isBlank()) {
            throw new IllegalArgumentException("reboot window start is missing (examples: 'Thu 04:00', '04:00')");
        }
        Matcher m = START.matcher(start.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("reboot window start '" + start
                    + "' is not '[Day ]HH:MM' (examples: 'Thu 04:00', '04:00')");
        }
        Optional<DayOfWeek> day = m.group(1) == null ? Optional.empty() : Optional.of(day(m.group(1), start));
        int hour = Integer.parseInt(m.group(2));
        int minute = Integer.parseInt(m.group(3));
        if (hour > 23 || minute > 59) {
            throw new IllegalArgumentException("reboot window start '" + start + "' has no valid time of day");
        }
        return new RebootWindow(day, LocalTime.of(hour, minute), goDuration(length));
    }

    /** A Go duration such as {@code 1h30m}, {@code 90m}, {@code 1.5h}. */
    public static Duration goDuration(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("reboot window length is missing (examples: 1h, 1h30m)");
        }
        Matcher m = DURATION_PART.matcher(text.trim());
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double unit = switch (m.group(2)) {
                case "h" -> 3600e9;
                case "m" -> 60e9;
                case "s" -> 1e9;
                case "ms" -> 1e6;
                case "us", "µs" -> 1e3;
                default -> 1;
            };
            nanos += Math.round(Double.parseDouble(m.group(1)) * unit);
            end = m.end();
        }
        if (end == 0 || end != text.trim().length()) {
            throw new IllegalArgumentException("reboot window length '" + text
                    + "' is not a duration (examples: 1h, 1h30m, 45m)");
        }
        return Duration.ofNanos(nanos);
    }

    private static DayOfWeek day(String name, String start) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(name)
                    || d.getDisplayName(TextStyle.FULL, Locale.ENGLISH).equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("reboot window start '" + start + "' names no day of the week ('"
                + name + "'; use Mon, Tue, Wed, Thu, Fri, Sat or Sun)");
    }

    /** Whether the window is open at {@code t}. */
    public boolean contains(Instant t, ZoneId zone) {
        return nextOpening(t, zone).equals(t);
    }

    /** The first instant at or after {@code t} when the window is open ({@code t} itself if open now). */
    public Instant nextOpening(Instant t, ZoneId zone) {
        LocalDate today = t.atZone(zone).toLocalDate();
        Instant next = null;
        for (int offset = -8; offset <= 8; offset++) {
            LocalDate date = today.plusDays(offset);
            if (day.isPresent() && date.getDayOfWeek() != day.get()) {
                continue;
            }
            Instant opens = ZonedDateTime.of(date, start, zone).toInstant();
            if (!opens.isAfter(t) && t.isBefore(opens.plus(length))) {
                return t;
            }
            if (opens.isAfter(t) && (next == null || opens.isBefore(next))) {
                next = opens;
            }
        }
        return next;
    }

    @Override
    public String toString() {
        return day.map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " ").orElse("") + start + " for "
                + length;
    }
}
