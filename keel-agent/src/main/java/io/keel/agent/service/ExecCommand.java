package io.keel.agent.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One command of an {@code Exec*=} line.
 *
 * @param words the program and its arguments as written, unquoted, variables not yet expanded
 * @param ignoreFailure the {@code -} prefix: a failing exit is logged but does not fail the unit
 * @param expandVariables false with the {@code :} prefix
 */
public record ExecCommand(List<String> words, boolean ignoreFailure, boolean expandVariables) {

    public ExecCommand {
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }

    /** The program as written (an absolute path or a name looked up on PATH). */
    public String program() {
        return words.get(0);
    }

    /**
     * The argv with systemd's variable expansion: a word that is exactly {@code $NAME} becomes the
     * value split at whitespace (no word if unset or empty), {@code ${NAME}} inside a word is
     * replaced by the value (empty if unset), {@code $$} is a literal {@code $}.
     */
    public List<String> argv(Map<String, String> environment) {
        if (!expandVariables) {
            return words;
        }
        List<String> argv = new ArrayList<>();
        for (String word : words) {
            if (word.length() > 1 && word.charAt(0) == '$' && isName(word, 1, word.length())) {
                String value = environment.getOrDefault(word.substring(1), "").strip();
                if (!value.isEmpty()) {
                    argv.addAll(List.of(value.split("\\s+")));
                }
            } else {
                argv.add(expandInWord(word, environment));
            }
        }
        return argv;
    }

    private static String expandInWord(String word, Map<String, String> environment) {
        if (word.indexOf('$') < 0) {
            return word;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '$' && i + 1 < word.length() && word.charAt(i + 1) == '$') {
                out.append('$');
                i++;
            } else if (c == '$' && i + 1 < word.length() && word.charAt(i + 1) == '{') {
                int end = word.indexOf('}', i + 2);
                if (end > 0 && isName(word, i + 2, end)) {
                    out.append(environment.getOrDefault(word.substring(i + 2, end), ""));
                    i = end;
                } else {
                    out.append(c);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static boolean isName(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > from && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return (ignoreFailure ? "-" : "") + (expandVariables ? "" : ":") + String.join(" ", words);
    }
}
