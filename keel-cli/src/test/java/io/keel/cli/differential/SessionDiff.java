package io.keel.cli.differential;

import io.keel.cli.differential.SessionRunner.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Compares two runs of the same session case by case and explains every difference. */
public final class SessionDiff {

    private static final int MAX_SHOWN_CHARS = 4000;

    private SessionDiff() {}

    /** One message per case whose outputs differ, naming the command and both outputs. */
    public static List<String> differences(String leftName, List<Outcome> left, String rightName,
            List<Outcome> right) {
        if (left.size() != right.size()) {
            throw new IllegalArgumentException("Runs of different sessions: " + left.size() + " vs " + right.size());
        }
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < left.size(); i++) {
            Outcome l = left.get(i);
            Outcome r = right.get(i);
            if (!l.output().equals(r.output())) {
                differences.add("line " + l.sessionCase().line() + ": etcdctl " + l.sessionCase().source() + "\n"
                        + "  " + leftName + ":\n" + indent(l.output())
                        + "  " + rightName + ":\n" + indent(r.output()));
            }
        }
        return differences;
    }

    /** Writes a full transcript of one run, for reading after a failure. */
    public static void writeTranscript(Path file, List<Outcome> outcomes) {
        StringBuilder text = new StringBuilder();
        for (Outcome o : outcomes) {
            text.append("### line ").append(o.sessionCase().line()).append(": etcdctl ")
                    .append(o.sessionCase().source()).append('\n').append(o.output()).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String indent(String output) {
        String shown = output.length() <= MAX_SHOWN_CHARS
                ? output
                : output.substring(0, MAX_SHOWN_CHARS) + "... (" + output.length() + " chars)\n";
        return shown.lines().map(line -> "    " + line + "\n").reduce("", String::concat);
    }
}
