package io.keel.lifecycle.update;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release version: numbers separated by dots ({@code 1.4.2}), optionally followed by a
 * pre-release tag ({@code 1.5.0-beta.1}). Numbers compare numerically, missing trailing numbers
 * count as 0, and a pre-release sorts before the release itself, as in semver.
 */
public record Version(List<Long> numbers, String preRelease, String text) implements Comparable<Version> {

    private static final Pattern FORM = Pattern.compile("(\\d{1,18}(?:\\.\\d{1,18})*)(?:-([0-9A-Za-z][0-9A-Za-z.-]*))?");

    public Version {
        numbers = List.copyOf(numbers);
    }

    /** Parses {@code text}; throws {@link UpdateException} naming it if it is not a version. */
    public static Version parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            throw new UpdateException("\"" + text + "\" is not a version: expected numbers separated by dots,"
                    + " optionally with a pre-release tag, like 1.4.2 or 1.5.0-beta.1");
        }
        List<Long> numbers = new ArrayList<>();
        for (String part : m.group(1).split("\\.")) {
            numbers.add(Long.parseLong(part));
        }
        return new Version(numbers, m.group(2), text);
    }

    @Override
    public int compareTo(Version o) {
        for (int i = 0; i < Math.max(numbers.size(), o.numbers.size()); i++) {
            int c = Long.compare(i < numbers.size() ? numbers.get(i) : 0, i < o.numbers.size() ? o.numbers.get(i) : 0);
            if (c != 0) {
                return c;
            }
        }
        if (preRelease == null || o.preRelease == null) {
            return preRelease == null ? (o.preRelease == null ? 0 : 1) : -1;
        }
        String[] a = preRelease.split("\\.");
        String[] b = o.preRelease.split("\\.");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = comparePart(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    private static int comparePart(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit);
        boolean bn = b.chars().allMatch(Character::isDigit);
        if (an && bn && a.length() <= 18 && b.length() <= 18) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return an != bn ? (an ? -1 : 1) : a.compareTo(b);
    }

    public boolean isNewerThan(Version o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
