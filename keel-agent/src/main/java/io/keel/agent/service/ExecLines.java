package io.keel.agent.service;

import java.util.ArrayList;
import java.util.List;

/**
 * systemd's splitting of command lines and quoted value lists: words are separated by whitespace,
 * single and double quotes group (and may appear inside a word: {@code a"b c"} is {@code ab c}),
 * backslash escapes are C escapes ({@code \n}, {@code \t}, {@code \"}, {@code \\}, {@code \s},
 * {@code \xHH}, {@code \NNN}) inside and outside quotes. A lone unquoted {@code ;} separates
 * commands of one Exec line ({@code \;} is a literal semicolon).
 */
public final class ExecLines {

    private ExecLines() {
    }

    /** The words of {@code text}, quotes removed and escapes resolved. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (Word w : split(text)) {
            words.add(w.text());
        }
        return words;
    }

    /**
     * Splits an Exec line into commands at lone {@code ;} words. Each command is its words;
     * empty commands are refused.
     */
    static List<List<String>> commands(String text) {
        List<List<String>> commands = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (Word w : split(text)) {
            if (w.separator()) {
                if (current.isEmpty()) {
                    throw new IllegalArgumentException("empty command before \";\"");
                }
                commands.add(current);
                current = new ArrayList<>();
            } else {
                current.add(w.text());
            }
        }
        if (!current.isEmpty()) {
            commands.add(current);
        } else if (!commands.isEmpty()) {
            throw new IllegalArgumentException("empty command after \";\"");
        }
        return commands;
    }

    private record Word(String text, boolean separator) {
    }

    private static List<Word> split(String text) {
        List<Word> words = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return words;
            }
            StringBuilder word = new StringBuilder();
            boolean plain = true;
            char quote = 0;
            while (i < n) {
                char c = text.charAt(i);
                if (quote == 0 && Character.isWhitespace(c)) {
                    break;
                }
                if (c == '\\') {
                    if (i + 1 >= n) {
                        throw new IllegalArgumentException("trailing backslash in " + text);
                    }
                    i = unescape(text, i + 1, word);
                    plain = false;
                    continue;
                }
                if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                    plain = false;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
                i++;
            }
            if (quote != 0) {
                throw new IllegalArgumentException("unbalanced " + (quote == '"' ? "double" : "single")
                        + " quote in " + text);
            }
            words.add(new Word(word.toString(), plain && word.toString().equals(";")));
        }
    }

    /** Appends the escape starting at {@code i} (just after the backslash); returns the next index. */
    private static int unescape(String text, int i, StringBuilder out) {
        char c = text.charAt(i);
        switch (c) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case 's' -> out.append(' ');
            case 'x' -> {
                if (i + 3 > text.length()) {
                    throw new IllegalArgumentException("bad \\x escape in " + text);
                }
                out.append((char) parse(text, i + 1, i + 3, 16));
                return i + 3;
            }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                if (i + 3 > text.length()) {
                    throw new IllegalArgumentException("bad octal escape in " + text);
                }
                out.append((char) parse(text, i, i + 3, 8));
                return i + 3;
            }
            default -> out.append(c);
        }
        return i + 1;
    }

    private static int parse(String text, int from, int to, int radix) {
        try {
            return Integer.parseInt(text.substring(from, to), radix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad escape \\" + text.substring(from - (radix == 16 ? 1 : 0), to)
                    + " in " + text);
        }
    }
}
