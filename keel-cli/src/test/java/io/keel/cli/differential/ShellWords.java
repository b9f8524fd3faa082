package io.keel.cli.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as a POSIX shell would for single and double quotes, with
 * {@code \n}, {@code \t}, {@code \"} and {@code \\} escapes inside double quotes.
 */
final class ShellWords {

    private ShellWords() {}

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '\'') {
                int close = closing(line, i, '\'');
                word.append(line, i + 1, close);
                i = close;
                inWord = true;
            } else if (c == '"') {
                i = appendDoubleQuoted(line, i, word);
                inWord = true;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static int appendDoubleQuoted(String line, int open, StringBuilder word) {
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < line.length()) {
                char next = line.charAt(++i);
                word.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                word.append(c);
            }
        }
        throw new IllegalArgumentException("Unclosed \" in: " + line);
    }

    private static int closing(String line, int open, char quote) {
        int close = line.indexOf(quote, open + 1);
        if (close < 0) {
            throw new IllegalArgumentException("Unclosed " + quote + " in: " + line);
        }
        return close;
    }
}
