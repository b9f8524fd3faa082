package io.keel.agent.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@code EnvironmentFile=}: read when the unit starts, not when it is parsed.
 *
 * @param path an absolute path
 * @param optional the {@code -} prefix: a missing file is not an error
 */
public record EnvironmentFile(Path path, boolean optional) {

    /**
     * The file's variables: {@code KEY=VALUE} lines; blank lines and lines starting with {@code #}
     * or {@code ;} are skipped; whitespace around the key and value is dropped; a value in single
     * or double quotes is unquoted (backslash escapes {@code \"}, {@code \\}, {@code \n} inside
     * double quotes); a trailing backslash continues the line. Lines without {@code =} or with an
     * invalid name are ignored, as systemd does (with a warning there).
     *
     * @throws IOException if the file cannot be read; a missing optional file reads as empty
     */
    public Map<String, String> read() throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (optional) {
                return Map.of();
            }
            throw e;
        }
        return parse(text);
    }

    /** Parses environment file text (see {@link #read()}). */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String joined = text.replace("\\\r\n", "").replace("\\\n", "");
        for (String raw : joined.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            if (!ExecCommand.isName(key, 0, key.length())) {
                continue;
            }
            out.put(key, unquote(line.substring(eq + 1).strip()));
        }
        return out;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.charAt(0) == '\'' && value.endsWith("'")) {
            return value.substring(1, value.length() - 1);
        }
        if (value.length() >= 2 && value.charAt(0) == '"' && value.endsWith("\"")) {
            StringBuilder out = new StringBuilder();
            String inner = value.substring(1, value.length() - 1);
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\' && i + 1 < inner.length()) {
                    char next = inner.charAt(++i);
                    out.append(next == 'n' ? '\n' : next);
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
        return value;
    }

    @Override
    public String toString() {
        return (optional ? "-" : "") + path;
    }
}
