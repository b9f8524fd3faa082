package io.keel.cluster.unit;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads systemd unit file syntax (systemd.syntax(7)) into options, keeping their order.
 *
 * <ul>
 *   <li>Leading and trailing whitespace of every line is ignored; empty lines and lines starting
 *       with {@code #} or {@code ;} are comments.
 *   <li>{@code [Name]} starts a section; an assignment before the first section is an error.
 *   <li>{@code Key=Value}: key and value are trimmed; the value is kept verbatim otherwise (quotes
 *       included).
 *   <li>A line ending in an unescaped backslash continues on the next line: the two are joined with
 *       one space (the backslash and the whitespace around the break collapse into it), and comment
 *       lines inside the continuation are skipped. Errors name the line the assignment starts on.
 * </ul>
 */
final class UnitFileParser {

    private final List<String> sections = new ArrayList<>();
    private final List<UnitOption> options = new ArrayList<>();
    private String section;

    private UnitFileParser() {
    }

    /** The result: sections in order of first appearance (including empty ones) and all options. */
    record Parsed(List<String> sections, List<UnitOption> options) {
    }

    static Parsed parse(String text) {
        UnitFileParser parser = new UnitFileParser();
        parser.run(text);
        return new Parsed(List.copyOf(parser.sections), List.copyOf(parser.options));
    }

    private void run(String text) {
        String[] lines = text.split("\r?\n", -1);
        StringBuilder continued = null;
        int startLine = 0;
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = stripCarriageReturn(lines[i]).strip();
            if (continued != null && isComment(line)) {
                continue;
            }
            if (continued == null && (line.isEmpty() || isComment(line))) {
                continue;
            }
            if (continued == null) {
                startLine = lineNumber;
            }
            if (endsInContinuation(line)) {
                String head = line.substring(0, line.length() - 1).stripTrailing() + " ";
                continued = continued == null ? new StringBuilder(head) : continued.append(head);
                continue;
            }
            String logical = continued == null ? line : continued.append(line).toString();
            continued = null;
            accept(logical, startLine);
        }
        if (continued != null) {
            accept(continued.toString().strip(), startLine);
        }
    }

    private void accept(String line, int lineNumber) {
        if (line.startsWith("[")) {
            openSection(line, lineNumber);
            return;
        }
        int eq = line.indexOf('=');
        if (eq < 0) {
            throw error(lineNumber, "expected Key=Value or [Section], found " + quote(abbreviate(line)));
        }
        String key = line.substring(0, eq).strip();
        if (key.isEmpty()) {
            throw error(lineNumber, "assignment without a key");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isWhitespace(key.charAt(i))) {
                throw error(lineNumber, "key " + quote(key) + " contains whitespace");
            }
        }
        if (section == null) {
            throw error(lineNumber, "assignment " + key + "= outside of any section");
        }
        options.add(new UnitOption(section, key, line.substring(eq + 1).strip()));
    }

    private void openSection(String line, int lineNumber) {
        if (!line.endsWith("]")) {
            throw error(lineNumber, "invalid section header " + quote(abbreviate(line)) + ": expected [Name]");
        }
        String name = line.substring(1, line.length() - 1);
        if (name.isBlank() || name.contains("[") || name.contains("]")) {
            throw error(lineNumber, "invalid section name " + quote(name));
        }
        section = name;
        if (!sections.contains(name)) {
            sections.add(name);
        }
    }

    /** True when the line ends in a backslash that is not itself escaped. */
    private static boolean endsInContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static boolean isComment(String strippedLine) {
        return strippedLine.startsWith("#") || strippedLine.startsWith(";");
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static UnitFileException error(int line, String message) {
        return new UnitFileException("line " + line + ": " + message);
    }
}
