package io.keel.agent.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * systemd time spans ({@code systemd.time(7)}): a sum of numbers with units, such as {@code 5},
 * {@code 5s}, {@code 500ms}, {@code 1min 30s}, {@code 1.5h}; a bare number is seconds;
 * {@code infinity} means no limit.
 */
public final class TimeSpans {

    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final Map<String, BigDecimal> UNIT_SECONDS = Map.ofEntries(
            Map.entry("usec", new BigDecimal("0.000001")), Map.entry("us", new BigDecimal("0.000001")),
            Map.entry("µs", new BigDecimal("0.000001")),
            Map.entry("msec", new BigDecimal("0.001")), Map.entry("ms", new BigDecimal("0.001")),
            Map.entry("seconds", BigDecimal.ONE), Map.entry("second", BigDecimal.ONE),
            Map.entry("sec", BigDecimal.ONE), Map.entry("s", BigDecimal.ONE), Map.entry("", BigDecimal.ONE),
            Map.entry("minutes", BigDecimal.valueOf(60)), Map.entry("minute", BigDecimal.valueOf(60)),
            Map.entry("min", BigDecimal.valueOf(60)), Map.entry("m", BigDecimal.valueOf(60)),
            Map.entry("hours", BigDecimal.valueOf(3600)), Map.entry("hour", BigDecimal.valueOf(3600)),
            Map.entry("hr", BigDecimal.valueOf(3600)), Map.entry("h", BigDecimal.valueOf(3600)),
            Map.entry("days", BigDecimal.valueOf(86400)), Map.entry("day", BigDecimal.valueOf(86400)),
            Map.entry("d", BigDecimal.valueOf(86400)),
            Map.entry("weeks", BigDecimal.valueOf(604800)), Map.entry("week", BigDecimal.valueOf(604800)),
            Map.entry("w", BigDecimal.valueOf(604800)),
            Map.entry("months", BigDecimal.valueOf(2629800)), Map.entry("month", BigDecimal.valueOf(2629800)),
            Map.entry("M", BigDecimal.valueOf(2629800)),
            Map.entry("years", BigDecimal.valueOf(31557600)), Map.entry("year", BigDecimal.valueOf(31557600)),
            Map.entry("y", BigDecimal.valueOf(31557600)));

    private TimeSpans() {
    }

    /**
     * Parses a time span; empty for {@code infinity}.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static Optional<Duration> parse(String text) {
        String s = text.strip();
        if (s.equals("infinity")) {
            return Optional.empty();
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty time span");
        }
        BigDecimal seconds = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw invalid(text);
            }
            BigDecimal number;
            try {
                number = new BigDecimal(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            BigDecimal unit = UNIT_SECONDS.get(s.substring(unitStart, i));
            if (unit == null) {
                throw new IllegalArgumentException("invalid time span \"" + text + "\": unknown unit \""
                        + s.substring(unitStart, i) + "\"");
            }
            seconds = seconds.add(number.multiply(unit));
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }
        try {
            long nanos = seconds.multiply(NANOS_PER_SECOND).setScale(0, RoundingMode.DOWN).longValueExact();
            return Optional.of(Duration.ofNanos(nanos));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid time span \"" + text + "\": too long");
        }
    }

    /** systemd-style short form for messages: {@code 1min 30s}, {@code 500ms}, {@code 0}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        StringBuilder out = new StringBuilder();
        long ms = d.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] names = {"d", "h", "min", "s", "ms"};
        for (int k = 0; k < sizes.length; k++) {
            if (ms >= sizes[k]) {
                if (!out.isEmpty()) {
                    out.append(' ');
                }
                out.append(ms / sizes[k]).append(names[k]);
                ms %= sizes[k];
            }
        }
        return out.isEmpty() ? d.toNanos() + "ns" : out.toString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid time span \"" + text
                + "\": expected a number with an optional unit (5s, 500ms, 1min 30s) or infinity");
    }
}
