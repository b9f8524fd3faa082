package io.keel.cli.differential;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses a session file (format described at the top of {@code differential/session.etcdctl}). */
public final class SessionFile {

    private SessionFile() {}

    public static List<SessionCase> load(String resource) {
        try (InputStream in = SessionFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No resource " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<SessionCase> parse(List<String> lines) {
        List<SessionCase> cases = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int lineNo = i + 1;
            List<String> tokens = new ArrayList<>(ShellWords.split(text));
            SessionCase.Stop stop = directive(tokens, lineNo);
            Optional<String> stdin = Optional.empty();
            String last = tokens.getLast();
            if (last.startsWith("<<")) {
                tokens.removeLast();
                String end = last.substring(2);
                StringBuilder body = new StringBuilder();
                while (true) {
                    i++;
                    if (i >= lines.size()) {
                        throw new IllegalArgumentException("line " + lineNo + ": no closing " + end);
                    }
                    if (lines.get(i).equals(end)) {
                        break;
                    }
                    appendExpanded(body, lines.get(i));
                }
                stdin = Optional.of(body.toString());
            } else if (last.startsWith("<@bytes:")) {
                tokens.removeLast();
                String[] spec = last.substring("<@bytes:".length()).split(":", 2);
                stdin = Optional.of(spec[1].repeat(Integer.parseInt(spec[0])));
            }
            cases.add(new SessionCase(lineNo, text, tokens, stdin, stop));
        }
        return cases;
    }

    private static SessionCase.Stop directive(List<String> tokens, int lineNo) {
        return switch (tokens.getFirst()) {
            case "@until" -> {
                tokens.removeFirst();
                yield new SessionCase.Stop.Until(Pattern.compile(tokens.removeFirst(), Pattern.MULTILINE));
            }
            case "@lines" -> {
                tokens.removeFirst();
                yield new SessionCase.Stop.AfterLines(Integer.parseInt(tokens.removeFirst()));
            }
            default -> {
                if (tokens.getFirst().startsWith("@")) {
                    throw new IllegalArgumentException("line " + lineNo + ": unknown directive " + tokens.getFirst());
                }
                yield new SessionCase.Stop.Exit();
            }
        };
    }

    private static void appendExpanded(StringBuilder body, String line) {
        if (line.startsWith("@repeat ")) {
            String[] parts = line.split(" ", 3);
            int count = Integer.parseInt(parts[1]);
            for (int n = 1; n <= count; n++) {
                body.append(parts[2].replace("%d", Integer.toString(n))).append('\n');
            }
        } else {
            body.append(line).append('\n');
        }
    }
}
