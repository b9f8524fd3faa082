package io.keel.cluster.unit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * CPU and memory quantities as written in {@code CPU=}/{@code Memory=} and in machine capacities
 * ({@code --capacity cpu=2,memory=4G}).
 *
 * <ul>
 *   <li>CPU: cores, either millicores with an {@code m} suffix ({@code 500m}) or a decimal number of
 *       cores ({@code 1.5}, {@code 2}). Resolution is one millicore.
 *   <li>Memory: bytes, with an optional binary suffix as systemd reads sizes: {@code K}, {@code M},
 *       {@code G}, {@code T}, {@code P}, {@code E} (powers of 1024; case, a trailing {@code i} and a
 *       trailing {@code B} are ignored, so {@code 512M}, {@code 512Mi} and {@code 512MB} are equal).
 *       Fractions round down to whole bytes.
 * </ul>
 */
public final class Quantities {

    private static final String SIZE_SUFFIXES = "KMGTPE";

    private Quantities() {
    }

    /**
     * Parses a CPU quantity into millicores.
     *
     * @throws IllegalArgumentException naming the value when it is not a non-negative quantity
     */
    public static long parseCpuMillis(String text) {
        String s = text.strip();
        try {
            if (s.endsWith("m")) {
                return nonNegative(text, new BigDecimal(s.substring(0, s.length() - 1)).longValueExact());
            }
            BigDecimal millis = new BigDecimal(s).movePointRight(3);
            if (millis.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException("invalid CPU quantity \"" + text
                        + "\": finer than one millicore (1m = 0.001)");
            }
            return nonNegative(text, millis.longValueExact());
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("invalid CPU quantity \"" + text
                    + "\": expected cores (1.5) or millicores (500m)");
        }
    }

    /**
     * Parses a memory quantity into bytes.
     *
     * @throws IllegalArgumentException naming the value when it is not a non-negative size
     */
    public static long parseBytes(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("I")) {
            s = s.substring(0, s.length() - 1);
        }
        int power = 0;
        if (!s.isEmpty() && SIZE_SUFFIXES.indexOf(s.charAt(s.length() - 1)) >= 0) {
            power = SIZE_SUFFIXES.indexOf(s.charAt(s.length() - 1)) + 1;
            s = s.substring(0, s.length() - 1);
        }
        try {
            BigDecimal bytes = new BigDecimal(s).multiply(BigDecimal.valueOf(1024).pow(power));
            return nonNegative(text, bytes.setScale(0, RoundingMode.DOWN).longValueExact());
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("invalid memory quantity \"" + text
                    + "\": expected bytes with an optional K, M, G, T suffix (512M, 2G)");
        }
    }

    /** Formats millicores the way they are written: {@code 2} for 2000, {@code 500m} for 500. */
    public static String formatCpu(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }

    /** Formats bytes with the largest binary suffix that divides them exactly ({@code 512M}). */
    public static String formatBytes(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        int power = 0;
        long value = bytes;
        while (power < SIZE_SUFFIXES.length() && value % 1024 == 0) {
            value /= 1024;
            power++;
        }
        return power == 0 ? Long.toString(value) : value + String.valueOf(SIZE_SUFFIXES.charAt(power - 1));
    }

    private static long nonNegative(String text, long value) {
        if (value < 0) {
            throw new NumberFormatException(text);
        }
        return value;
    }
}
