package io.keel.cluster.unit;

import java.util.regex.Pattern;

/**
 * A unit name pattern with Go's {@code path.Match} syntax, as fleet matches {@code Conflicts} and
 * {@code Replaces}: {@code *} (any run of characters but {@code /}), {@code ?} (one character but
 * {@code /}), {@code [a-z]} and {@code [^a-z]} classes, and {@code \} to quote the next character.
 * A pattern without any of these matches exactly one name.
 */
public final class Glob {

    private final String pattern;
    private final String literalPrefix;
    private final boolean literal;
    private final Pattern regex;

    private Glob(String pattern, String literalPrefix, boolean literal, Pattern regex) {
        this.pattern = pattern;
        this.literalPrefix = literalPrefix;
        this.literal = literal;
        this.regex = regex;
    }

    /**
     * Compiles {@code pattern}.
     *
     * @throws UnitFileException if the pattern is malformed (an unclosed {@code [}, an empty class,
     *     a trailing {@code \})
     */
    public static Glob compile(String pattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder prefix = new StringBuilder();
        boolean inPrefix = true;
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> {
                    regex.append("[^/]*");
                    inPrefix = false;
                    i++;
                }
                case '?' -> {
                    regex.append("[^/]");
                    inPrefix = false;
                    i++;
                }
                case '[' -> {
                    i = appendClass(pattern, i, regex);
                    inPrefix = false;
                }
                case '\\' -> {
                    if (i + 1 >= pattern.length()) {
                        throw bad(pattern, "ends in a lone \\");
                    }
                    char quoted = pattern.charAt(i + 1);
                    regex.append(Pattern.quote(String.valueOf(quoted)));
                    if (inPrefix) {
                        prefix.append(quoted);
                    }
                    i += 2;
                }
                default -> {
                    regex.append(Pattern.quote(String.valueOf(c)));
                    if (inPrefix) {
                        prefix.append(c);
                    }
                    i++;
                }
            }
        }
        return new Glob(pattern, prefix.toString(), inPrefix, inPrefix ? null : Pattern.compile(regex.toString()));
    }

    /** True when {@code name} matches the whole pattern. */
    public boolean matches(String name) {
        return literal ? literalPrefix.equals(name) : regex.matcher(name).matches();
    }

    /** The characters every match starts with (the whole name for a literal pattern). */
    public String literalPrefix() {
        return literalPrefix;
    }

    /** True when the pattern has no wildcard and so matches only {@link #literalPrefix()}. */
    public boolean isLiteral() {
        return literal;
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob other && pattern.equals(other.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static int appendClass(String pattern, int open, StringBuilder regex) {
        int i = open + 1;
        StringBuilder cls = new StringBuilder("[");
        if (i < pattern.length() && pattern.charAt(i) == '^') {
            cls.append('^');
            i++;
        }
        int ranges = 0;
        while (true) {
            if (i >= pattern.length()) {
                throw bad(pattern, "has an unclosed [");
            }
            char c = pattern.charAt(i);
            if (c == ']') {
                if (ranges == 0) {
                    throw bad(pattern, "has an empty character class");
                }
                regex.append(cls).append(']');
                return i + 1;
            }
            int[] lo = classChar(pattern, i);
            i = lo[1];
            int hi = lo[0];
            if (i < pattern.length() && pattern.charAt(i) == '-') {
                int[] h = classChar(pattern, i + 1);
                hi = h[0];
                i = h[1];
                if (hi < lo[0]) {
                    throw bad(pattern, "has a reversed range");
                }
            }
            cls.append(escapeInClass(lo[0])).append('-').append(escapeInClass(hi));
            ranges++;
        }
    }

    /** Reads one class character at {@code i}: {value, next index}. */
    private static int[] classChar(String pattern, int i) {
        if (i >= pattern.length()) {
            throw bad(pattern, "has an unclosed [");
        }
        char c = pattern.charAt(i);
        if (c == '\\') {
            if (i + 1 >= pattern.length()) {
                throw bad(pattern, "has an unclosed [");
            }
            return new int[] {pattern.charAt(i + 1), i + 2};
        }
        if (c == '-' || c == ']') {
            throw bad(pattern, "has a malformed character class");
        }
        return new int[] {c, i + 1};
    }

    private static String escapeInClass(int c) {
        return String.format("\\x{%x}", c);
    }

    private static UnitFileException bad(String pattern, String problem) {
        return new UnitFileException("pattern \"" + pattern + "\" " + problem);
    }
}
