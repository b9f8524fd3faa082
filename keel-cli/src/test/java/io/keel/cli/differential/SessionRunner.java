package io.keel.cli.differential;

import io.keel.testkit.Await;
import io.keel.testkit.Etcdctl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Replays a session with etcdctl against one server and records normalized outputs. */
public final class SessionRunner {

    static final Duration UNTIL_TIMEOUT = Duration.ofSeconds(30);
    static final Duration WATCH_LIMIT = Duration.ofSeconds(10);
    static final Duration SILENT_WATCH_LIMIT = Duration.ofSeconds(2);

    /** What one case printed on one server, normalized. */
    public record Outcome(SessionCase sessionCase, String output) {}

    private final Etcdctl etcdctl;
    private final LeaseIds leases = new LeaseIds();
    private final OutputNormalizer normalizer;

    public SessionRunner(String endpoint) {
        this.etcdctl = new Etcdctl(endpoint);
        this.normalizer = new OutputNormalizer(endpoint, leases);
    }

    public List<Outcome> run(List<SessionCase> cases) {
        List<Outcome> outcomes = new ArrayList<>(cases.size());
        for (SessionCase c : cases) {
            outcomes.add(new Outcome(c, runOne(c)));
        }
        return outcomes;
    }

    private String runOne(SessionCase c) {
        List<String> args = c.args().stream().map(leases::resolve).toList();
        byte[] stdin = c.stdin().map(leases::resolve).map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        return switch (c.stop()) {
            case SessionCase.Stop.Exit exit -> render(etcdctl.run(args, stdin));
            case SessionCase.Stop.AfterLines after -> render(firstLines(etcdctl.runUntil(args, stdin,
                    after.lines() == 0 ? SILENT_WATCH_LIMIT : WATCH_LIMIT,
                    out -> after.lines() > 0 && out.lines().count() >= after.lines()), after.lines()));
            case SessionCase.Stop.Until until -> {
                AtomicReference<String> last = new AtomicReference<>();
                try {
                    Await.until(UNTIL_TIMEOUT, "stdout matches " + until.pattern(), () -> {
                        Etcdctl.Result result = etcdctl.run(args, stdin);
                        last.set(render(result));
                        return until.pattern().matcher(normalizer.normalize(result.stdout())).find();
                    });
                    yield last.get();
                } catch (AssertionError timeout) {
                    yield last.get() + "(still no match for /" + until.pattern() + "/ after " + UNTIL_TIMEOUT + ")\n";
                }
            }
        };
    }

    /**
     * The first {@code lines} lines of a watch's output, when it printed that many: what arrived
     * between reaching them and the kill is a race, not part of the case.
     */
    private static Etcdctl.Result firstLines(Etcdctl.Result result, int lines) {
        List<String> out = result.stdout().lines().toList();
        if (lines == 0 || out.size() < lines) {
            return result;
        }
        String kept = String.join("\n", out.subList(0, lines)) + "\n";
        return new Etcdctl.Result(result.exitCode(), kept, result.stderr());
    }

    private String render(Etcdctl.Result result) {
        leases.registerGrants(result.stdout());
        return "exit " + result.exitCode() + "\n"
                + "--- stdout\n" + normalizer.normalize(result.stdout())
                + (result.stdout().isEmpty() || result.stdout().endsWith("\n") ? "" : "\n")
                + "--- stderr\n" + normalizer.normalize(result.stderr());
    }
}
