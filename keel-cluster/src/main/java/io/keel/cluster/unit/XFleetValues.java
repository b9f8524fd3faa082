package io.keel.cluster.unit;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the values of one {@code [X-Fleet]} key: fleet's quoted multi-value form
 * ({@code MachineMetadata="a=b" "c=d"}), whitespace-separated lists, and specifier expansion.
 */
final class XFleetValues {

    private XFleetValues() {
    }

    /**
     * Every value of the given keys (aliases, in the order given) as a flat list: each assignment is
     * split into words (double quotes group a word and are removed), then specifiers are expanded.
     */
    static List<String> list(UnitFile file, UnitName name, String... keys) {
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            for (String raw : file.values(Requirements.SECTION, key)) {
                for (String word : words(raw)) {
                    out.add(Specifiers.expand(word, name));
                }
            }
        }
        return out;
    }

    /**
     * The last assignment of the first key (in alias order) that has one, as a single word.
     *
     * @throws UnitFileException if that assignment holds more than one word
     */
    static String single(UnitFile file, UnitName name, String... keys) {
        for (String key : keys) {
            var last = file.value(Requirements.SECTION, key);
            if (last.isPresent()) {
                List<String> words = words(last.get());
                if (words.size() != 1) {
                    throw new UnitFileException(key + "=" + last.get() + " must be a single value");
                }
                return Specifiers.expand(words.get(0), name);
            }
        }
        return null;
    }

    /** Splits on whitespace outside double quotes; quotes are removed and empty words dropped. */
    static List<String> words(String value) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && Character.isWhitespace(c)) {
                flush(words, word);
            } else {
                word.append(c);
            }
        }
        if (quoted) {
            throw new UnitFileException("unbalanced double quote in " + value);
        }
        flush(words, word);
        return words;
    }

    private static void flush(List<String> words, StringBuilder word) {
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        word.setLength(0);
    }
}
