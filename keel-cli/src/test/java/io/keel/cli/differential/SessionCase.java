package io.keel.cli.differential;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One etcdctl invocation of a differential session.
 *
 * @param line where it starts in the session file
 * @param source the command line as written, for reports
 * @param args etcdctl arguments; may hold {@code ${leaseN}} placeholders
 * @param stdin what to feed on standard input; may hold placeholders
 * @param stop when the invocation is over
 */
public record SessionCase(int line, String source, List<String> args, Optional<String> stdin, Stop stop) {

    public SessionCase {
        args = List.copyOf(args);
    }

    /** How a case ends. */
    public sealed interface Stop {
        /** The command exits by itself. */
        record Exit() implements Stop {}

        /** Re-run the command until its normalized output matches. */
        record Until(Pattern pattern) implements Stop {}

        /** A command that never exits: kill it once stdout has this many lines. */
        record AfterLines(int lines) implements Stop {}
    }
}
